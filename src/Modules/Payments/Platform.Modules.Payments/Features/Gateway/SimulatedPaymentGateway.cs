using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Platform.Shared.Configuration;

namespace Platform.Modules.Payments.Features.Gateway;

/// <summary>
/// The default gateway: deterministic rules (<see cref="PaymentSimulatorOptions"/>) and a durable ledger of
/// every charge and refund, kept in a SQLite file of its own as a provider keeps its own books. Each call is
/// one serialised transaction keyed by its idempotency key, so a repeated call finds the first one's result
/// and a double charge could not happen unseen: the ledger would show two rows for one order.
/// </summary>
internal sealed class SimulatedPaymentGateway(IOptions<PaymentSimulatorOptions> options, DataFolder dataFolder, TimeProvider clock) : IPaymentGateway, IDisposable
{
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private bool _schemaReady;

    public string LedgerPath => Path.IsPathRooted(options.Value.LedgerFile) ? options.Value.LedgerFile : dataFolder.File(options.Value.LedgerFile);

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SimulateLatencyAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        // IMMEDIATE: the whole call holds the ledger's write lock, so two calls with one key run one after the other.
        await using var transaction = connection.BeginTransaction(deferred: false);

        await using (var find = Command(transaction, "SELECT Outcome, Reference, DeclineReason FROM Charges WHERE IdempotencyKey = $key"))
        {
            find.Parameters.AddWithValue("$key", request.IdempotencyKey);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return new ChargeResult(Enum.Parse<ChargeOutcome>(reader.GetString(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }

        var result = request.Amount > options.Value.DeclineAbove
            ? new ChargeResult(ChargeOutcome.Declined, NewReference("dcl"), $"The amount is above the simulator's limit of {options.Value.DeclineAbove.ToString(CultureInfo.InvariantCulture)}.")
            : new ChargeResult(ChargeOutcome.Succeeded, NewReference("ch"), null);
        await InsertChargeAsync(transaction, request.IdempotencyKey, request.OrderId, request.Amount, request.Currency, result, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SimulateLatencyAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        // IMMEDIATE: the whole call holds the ledger's write lock, so two calls with one key run one after the other.
        await using var transaction = connection.BeginTransaction(deferred: false);

        string? chargeOutcome = null;
        string? chargeReference = null;
        await using (var find = Command(transaction, "SELECT Outcome, Reference FROM Charges WHERE IdempotencyKey = $key"))
        {
            find.Parameters.AddWithValue("$key", request.ChargeIdempotencyKey);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                chargeOutcome = reader.GetString(0);
                chargeReference = reader.GetString(1);
            }
        }

        if (chargeOutcome is null)
        {
            // Nothing charged yet: void the key, so a charge still on its way is refused.
            await InsertChargeAsync(transaction, request.ChargeIdempotencyKey, request.OrderId, request.Amount, request.Currency,
                new ChargeResult(ChargeOutcome.Voided, NewReference("void"), "Voided: the order was cancelled before it was charged."), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RefundResult(RefundOutcome.NothingCharged, null, null);
        }

        if (chargeOutcome != nameof(ChargeOutcome.Succeeded))
        {
            return new RefundResult(RefundOutcome.NothingCharged, null, null);
        }

        await using (var existing = Command(transaction, "SELECT Reference FROM Refunds WHERE ChargeKey = $charge"))
        {
            existing.Parameters.AddWithValue("$charge", request.ChargeIdempotencyKey);
            if (await existing.ExecuteScalarAsync(cancellationToken) is string reference)
            {
                return new RefundResult(RefundOutcome.Refunded, chargeReference, reference);
            }
        }

        var refundReference = NewReference("rf");
        await using (var insert = Command(transaction,
            "INSERT INTO Refunds (IdempotencyKey, ChargeKey, Amount, Currency, Reference, CreatedAt) VALUES ($key, $charge, $amount, $currency, $reference, $at)"))
        {
            insert.Parameters.AddWithValue("$key", request.IdempotencyKey);
            insert.Parameters.AddWithValue("$charge", request.ChargeIdempotencyKey);
            insert.Parameters.AddWithValue("$amount", request.Amount.ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$currency", request.Currency);
            insert.Parameters.AddWithValue("$reference", refundReference);
            insert.Parameters.AddWithValue("$at", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RefundResult(RefundOutcome.Refunded, chargeReference, refundReference);
    }

    public void Dispose() => _schemaGate.Dispose();

    private async Task InsertChargeAsync(
        SqliteTransaction transaction, string key, Guid? orderId, decimal amount, string currency, ChargeResult result, CancellationToken cancellationToken)
    {
        await using var insert = Command(transaction,
            "INSERT INTO Charges (IdempotencyKey, OrderId, Amount, Currency, Outcome, Reference, DeclineReason, CreatedAt) " +
            "VALUES ($key, $order, $amount, $currency, $outcome, $reference, $reason, $at)");
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$order", orderId is { } id ? id.ToString() : DBNull.Value);
        insert.Parameters.AddWithValue("$amount", amount.ToString(CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$currency", currency);
        insert.Parameters.AddWithValue("$outcome", result.Outcome.ToString());
        insert.Parameters.AddWithValue("$reference", result.Reference);
        insert.Parameters.AddWithValue("$reason", (object?)result.DeclineReason ?? DBNull.Value);
        insert.Parameters.AddWithValue("$at", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = LedgerPath, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken);
        // As the platform's own files: a killed process loses nothing; an OS crash may take back the last calls.
        await using (var settings = connection.CreateCommand())
        {
            settings.CommandText = "PRAGMA synchronous = NORMAL;";
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!_schemaReady)
        {
            await _schemaGate.WaitAsync(cancellationToken);
            try
            {
                await using var create = connection.CreateCommand();
                create.CommandText =
                    "PRAGMA journal_mode = WAL;" +
                    "CREATE TABLE IF NOT EXISTS Charges (IdempotencyKey TEXT PRIMARY KEY, OrderId TEXT, Amount TEXT NOT NULL, Currency TEXT NOT NULL, " +
                    "Outcome TEXT NOT NULL, Reference TEXT NOT NULL, DeclineReason TEXT, CreatedAt TEXT NOT NULL);" +
                    "CREATE TABLE IF NOT EXISTS Refunds (IdempotencyKey TEXT PRIMARY KEY, ChargeKey TEXT NOT NULL UNIQUE, Amount TEXT NOT NULL, " +
                    "Currency TEXT NOT NULL, Reference TEXT NOT NULL, CreatedAt TEXT NOT NULL);";
                await create.ExecuteNonQueryAsync(cancellationToken);
                _schemaReady = true;
            }
            finally
            {
                _schemaGate.Release();
            }
        }

        return connection;
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Constant SQL; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private Task SimulateLatencyAsync(CancellationToken cancellationToken) =>
        options.Value.Latency > TimeSpan.Zero ? Task.Delay(options.Value.Latency, clock, cancellationToken) : Task.CompletedTask;

    private static string NewReference(string prefix) => $"sim_{prefix}_{Guid.NewGuid():N}";
}
