#!/usr/bin/env bash
# Adds a migration to one module for both providers, inside the module (so it leaves with the module).
#   scripts/add-migration.sh Catalog AddProductTags
set -euo pipefail
module="${1:?module name, e.g. Catalog}"
name="${2:?migration name}"
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/src/Modules/$module/Platform.Modules.$module"
cd "$root"
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer; do
  dotnet ef migrations add "$name" \
    --project "$project" --startup-project src/Host \
    --context "${provider}${module}DbContext" \
    --output-dir "Persistence/Migrations/$provider" \
    -- --Database:Provider=$provider "--ConnectionStrings:Platform=Server=design-time;Database=Platform;Trusted_Connection=True"
done
# EF generates public migration classes; a module exposes nothing but its IModule class.
find "$project/Persistence/Migrations" -name '*.cs' -exec sed -i 's/^    public partial class /    internal partial class /' {} +
# The module starts from a compiled model; regenerate it so it describes the model just migrated to.
"$root/scripts/compile-models.sh" "$module"
