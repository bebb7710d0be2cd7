using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Inventory.Features.Reservations;
using Platform.Modules.Inventory.Persistence;
using Platform.Shared.Persistence;
using Platform.Testing;

namespace Platform.IntegrationTests.Inventory;

public sealed class ReservationTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_order_reserves_all_its_lines_or_none()
    {
        var admin = await factory.CreateAdminClientAsync();
        var plenty = await admin.ProductWithStockAsync(onHand: 5);
        var scarce = await admin.ProductWithStockAsync(onHand: 1);

        var refused = await factory.ReservationsAsync(r => r.ReserveAsync(Guid.NewGuid(), [new(plenty, 2), new(scarce, 2)], None));
        var unknown = await factory.ReservationsAsync(r => r.ReserveAsync(Guid.NewGuid(), [new(plenty, 1), new(Guid.NewGuid(), 1)], None));

        refused.Should().Be(ReservationOutcome.InsufficientStock);
        unknown.Should().Be(ReservationOutcome.InsufficientStock);
        (await admin.StockAsync(plenty)).Should().Be(new Stock(plenty, 5, 0, 5), "a refused order leaves nothing reserved");
        (await admin.StockAsync(scarce)).Should().Be(new Stock(scarce, 1, 0, 1));
    }

    [Fact]
    public async Task Reserve_release_commit_and_return_move_the_numbers_once_however_often_they_are_repeated()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductWithStockAsync(onHand: 10);
        var released = Guid.NewGuid();
        var confirmed = Guid.NewGuid();

        for (var i = 0; i < 2; i++)
        {
            (await factory.ReservationsAsync(r => r.ReserveAsync(released, [new(product, 3)], None))).Should().Be(ReservationOutcome.Reserved);
            (await factory.ReservationsAsync(r => r.ReserveAsync(confirmed, [new(product, 4)], None))).Should().Be(ReservationOutcome.Reserved);
        }

        (await admin.StockAsync(product)).Should().Be(new Stock(product, 10, 7, 3));

        for (var i = 0; i < 2; i++)
        {
            await factory.ReservationsAsync(r => r.ReleaseAsync(released, None));
        }

        (await admin.StockAsync(product)).Should().Be(new Stock(product, 10, 4, 6));

        for (var i = 0; i < 2; i++)
        {
            await factory.ReservationsAsync(r => r.CommitAsync(confirmed, None));
            await factory.ReservationsAsync(r => r.ReleaseAsync(confirmed, None)); // too late: already committed
        }

        (await admin.StockAsync(product)).Should().Be(new Stock(product, 6, 0, 6));

        for (var i = 0; i < 2; i++)
        {
            await factory.ReservationsAsync(r => r.ReturnAsync(confirmed, None));
            await factory.ReservationsAsync(r => r.ReturnAsync(released, None)); // never committed: nothing to return
        }

        (await admin.StockAsync(product)).Should().Be(new Stock(product, 10, 0, 10));
        (await factory.ReservationsAsync(r => r.ReserveAsync(released, [new(product, 3)], None))).Should().Be(ReservationOutcome.AlreadySettled,
            "a released order does not quietly pretend to hold stock again");
        (await factory.ReservationsAsync(r => r.ReserveAsync(confirmed, [new(product, 5)], None))).Should().Be(ReservationOutcome.DifferentLines);
        (await factory.ReservationsAsync(r => r.CommitAsync(released, None))).Should().BeFalse("there is nothing reserved to commit");
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 10, 0, 10));
    }

    [Fact]
    public async Task Many_simultaneous_orders_against_little_stock_never_oversell()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductWithStockAsync(onHand: 10);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() =>
            factory.ReservationsAsync(r => r.ReserveAsync(Guid.NewGuid(), [new(product, 1)], None)))));
        var sameOrder = Guid.NewGuid();
        var other = await admin.ProductWithStockAsync(onHand: 10);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            factory.ReservationsAsync(r => r.ReserveAsync(sameOrder, [new(other, 2)], None)))));

        outcomes.Count(o => o == ReservationOutcome.Reserved).Should().Be(10);
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 10, 10, 0));
        (await admin.StockAsync(other)).Should().Be(new Stock(other, 10, 2, 8), "one order reserves once, however many times it is sent at once");
    }

    /// <summary>
    /// SQLite's single writer serialises real concurrent transactions, so this interleaves two writers by
    /// hand, statement by statement, as SQL Server's read committed allows: B claims the last unit just
    /// before A's write runs. A read-then-write ledger would let both succeed; the conditional update refuses A.
    /// </summary>
    [Fact]
    public async Task A_claim_that_loses_the_race_for_the_last_unit_is_refused_when_interleaved_statement_by_statement()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductWithStockAsync(onHand: 1);
        var registration = factory.Services.GetServices<ModuleDatabaseRegistration>().Single(d => d.ModuleName == "Inventory");
        bool? claimedByB = null;
        var beforeWrite = new BeforeStockWrite(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            claimedByB = await StockLedger.TryReserveAsync(scope.ServiceProvider.GetRequiredService<InventoryDbContext>(), product, 1, DateTimeOffset.UtcNow, None);
        });
        await using var a = new SqliteInventoryDbContext(new DbContextOptionsBuilder<SqliteInventoryDbContext>()
            .UseSqlite(registration.ConnectionString).AddInterceptors(beforeWrite).Options);

        var claimedByA = await StockLedger.TryReserveAsync(a, product, 1, DateTimeOffset.UtcNow, None);

        claimedByB.Should().BeTrue("B ran inside A's claim, just before A's write");
        claimedByA.Should().BeFalse("the last unit was gone when A's write ran");
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 1, 1, 0));
    }

    [Fact]
    public async Task On_sql_server_a_claim_is_one_conditional_update()
    {
        var captured = new CapturingOfflineSqlServer();
        await using var db = new SqlServerInventoryDbContext(new DbContextOptionsBuilder<SqlServerInventoryDbContext>()
            .UseSqlServer("Server=127.0.0.1,1;Database=Platform;User Id=sa;Password=unused;Encrypt=False;Connect Timeout=1")
            .AddInterceptors(captured).Options);

        var claim = () => StockLedger.TryReserveAsync(db, Guid.NewGuid(), 2, DateTimeOffset.UtcNow, None);

        await claim.Should().ThrowAsync<CapturingOfflineSqlServer.Captured>();
        captured.Sql.Should().StartWith("UPDATE [s]")
            .And.Contain("SET [s].[Reserved] = [s].[Reserved] + @")
            .And.MatchRegex(@"WHERE \[s\]\.\[ProductId\] = @\w+ AND \[s\]\.\[OnHand\] - \[s\]\.\[Reserved\] >= @\w+",
                "the availability check and the claim are one statement: SQL Server re-checks the row under its update lock");
        captured.Sql.Should().Contain("FROM [inventory].[StockItems] AS [s]");
        db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().GenerateScript()
            .Should().Contain("CONSTRAINT [CK_StockItems_Quantities] CHECK (OnHand >= 0 AND Reserved >= 0 AND Reserved <= OnHand)",
                "the database itself refuses negative or oversold numbers, with names that need no QUOTED_IDENTIFIER");
    }

    /// <summary>Runs <paramref name="interleave"/> once, just before the first write to the stock table.</summary>
    private sealed class BeforeStockWrite(Func<Task> interleave) : DbCommandInterceptor
    {
        private bool done;

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await InterleaveAsync(command);
            return result;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await InterleaveAsync(command);
            return result;
        }

        private async Task InterleaveAsync(DbCommand command)
        {
            if (!done && command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("StockItems", StringComparison.Ordinal))
            {
                done = true;
                await interleave();
            }
        }
    }

    /// <summary>No server here: the connection "opens" without one, and the first command is captured instead of run.</summary>
    private sealed class CapturingOfflineSqlServer : DbCommandInterceptor, IDbConnectionInterceptor
    {
        public string Sql { get; private set; } = string.Empty;

        public ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult.Suppress());

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Sql = command.CommandText;
            throw new Captured();
        }

        internal sealed class Captured : Exception;
    }
}
