using Microsoft.EntityFrameworkCore;
using Platform.Shared.Persistence;

namespace Platform.UnitTests.Shared;

/// <summary>
/// Decision 0013: one writer per SQLite file, and when the turn is handed on, the messaging spine goes before
/// commands; a waiter that gives up leaves its line without taking or losing the turn.
/// </summary>
public sealed class SqliteWriteGateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("platform-gate-").FullName;
    private readonly SqliteWriteGate _gate = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class FileContext(string path) : DbContext(new DbContextOptionsBuilder().UseSqlite($"Data Source={path}").Options);

    private FileContext Db() => new(Path.Combine(_folder, "module.db"));

    [Fact]
    public async Task A_waiting_messaging_writer_gets_the_turn_before_commands_that_waited_longer()
    {
        using var db = Db();
        var order = new List<string>();
        var held = await _gate.EnterForCommandAsync(db, CancellationToken.None);

        var first = Take(_gate.EnterForCommandAsync(db, CancellationToken.None), "command 1", order);
        var second = Take(_gate.EnterForCommandAsync(db, CancellationToken.None), "command 2", order);
        var handler = Take(_gate.EnterAsync(db, CancellationToken.None), "event handler", order);
        held.Dispose();
        await Task.WhenAll(first, second, handler).WaitAsync(TimeSpan.FromSeconds(10));

        order.Should().Equal("event handler", "command 1", "command 2");
    }

    [Fact]
    public async Task A_waiting_command_gets_every_third_turn_however_many_spine_writers_wait()
    {
        using var db = Db();
        var order = new List<string>();
        var held = await _gate.EnterAsync(db, CancellationToken.None);

        var waiting = new List<Task>();
        for (var i = 1; i <= 4; i++)
        {
            waiting.Add(Take(_gate.EnterAsync(db, CancellationToken.None), $"spine {i}", order));
        }

        waiting.Add(Take(_gate.EnterForCommandAsync(db, CancellationToken.None), "command", order));
        held.Dispose();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10));

        // The held turn was the spine's too: two in a row, then the command.
        order.Should().Equal("spine 1", "command", "spine 2", "spine 3", "spine 4");
    }

    [Fact]
    public async Task One_writer_at_a_time_whatever_the_line()
    {
        using var db = Db();
        var inside = 0;
        var most = 0;
        var writers = Enumerable.Range(0, 40).Select(async i =>
        {
            using var turn = i % 2 == 0 ? await _gate.EnterAsync(db, CancellationToken.None) : await _gate.EnterForCommandAsync(db, CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Delay(1);
            Interlocked.Decrement(ref inside);
        });

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(20));

        most.Should().Be(1);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_its_line_and_the_turn_goes_to_the_next()
    {
        using var db = Db();
        var held = await _gate.EnterAsync(db, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = _gate.EnterAsync(db, cancel.Token).AsTask();
        var next = _gate.EnterForCommandAsync(db, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await cancelled.Invoking(async t => await t).Should().ThrowAsync<OperationCanceledException>();
        next.IsCompleted.Should().BeFalse("the turn is still held");
        held.Dispose();

        var turn = await next.WaitAsync(TimeSpan.FromSeconds(10));
        held.Dispose(); // a turn is given back once, however often it is disposed
        var after = _gate.EnterAsync(db, CancellationToken.None).AsTask();
        after.IsCompleted.Should().BeFalse("the next waiter holds the turn");
        turn.Dispose();
        (await after.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    private static async Task Take(ValueTask<IDisposable> entering, string name, List<string> order)
    {
        using var turn = await entering;
        lock (order)
        {
            order.Add(name);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
