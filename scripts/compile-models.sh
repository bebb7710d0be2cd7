#!/usr/bin/env bash
# Regenerates the EF Core compiled models of the given modules (default: every module with a database),
# for both providers. Run it after any model change: a migration (add-migration.sh runs it), or a change
# to the messaging tables in src/Shared, which every module's model includes. A test fails while a
# compiled model differs from the model the code describes.
#   scripts/compile-models.sh            # every module
#   scripts/compile-models.sh Catalog    # one module
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet tool restore >/dev/null
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  for dir in src/Modules/*/; do
    name="$(basename "$dir")"
    [ -d "$dir/Platform.Modules.$name/Persistence/Migrations" ] && modules+=("$name")
  done
fi
dotnet build src/Host >/dev/null
for module in "${modules[@]}"; do
  project="src/Modules/$module/Platform.Modules.$module"
  for provider in Sqlite SqlServer; do
    out="Persistence/CompiledModels/$provider"
    rm -rf "$project/$out"
    dotnet ef dbcontext optimize --no-build \
      --project "$project" --startup-project src/Host \
      --context "${provider}${module}DbContext" \
      --output-dir "$out" --namespace "Platform.Modules.$module.Persistence.CompiledModels.$provider" \
      -- --Database:Provider=$provider "--ConnectionStrings:Platform=Server=design-time;Database=Platform;Trusted_Connection=True"
  done
  # EF generates public classes; a module exposes nothing but its IModule class.
  find "$project/Persistence/CompiledModels" -name '*.cs' -exec sed -i -E 's/^( *)public (partial |static )?class /\1internal \2class /' {} +
done
