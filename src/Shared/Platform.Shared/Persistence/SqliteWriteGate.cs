using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Persistence;

/// <summary>
/// One writer at a time per SQLite file in this process, queued (see below for the order). SQLite lets one writer in and
/// makes the others poll (its busy handler sleeps and retries), so under a steady stream of short
/// transactions a poller can lose every round until its timeout: "database is locked", a 500, a delivery
/// 30 s late. The writes that must not starve queue here instead, and the lock is handed over the
/// moment it is free: commands, event handlers, and the messaging spine's acknowledgements and lease
/// renewals (a lease that lapses while they wait means a redelivery). Claims and housekeeping stay single
/// statements under SQLite's own busy handling: queuing them too cost a fifth of the order throughput at
/// saturation (decision 0010). Other processes on the same file meet SQLite's busy handling; SQL Server
/// needs none of this.
/// <para>
/// The messaging spine goes first: when the turn is handed on, a waiting event handler, acknowledgement or
/// lease renewal gets it before a waiting command, but a waiting command gets at least every third turn;
/// in plain arrival order a module's one event consumer
/// queued behind every command waiting at that moment, and under a steady stream of requests it fell
/// further behind each second (decision 0013). A command that waits longer is backpressure at the door:
/// the work already accepted finishes first.
/// </para>
/// </summary>
/// <remarks>
/// Never ask for a turn while holding one for the same file (a command that starts another command of
/// its module in a new scope): it waits for itself until <see cref="WaitLimit"/> and fails.
/// </remarks>
public sealed class SqliteWriteGate(TimeSpan waitLimit)
{
    /// <summary>As long as SQLite itself would have waited (Microsoft.Data.Sqlite's default command timeout).</summary>
    public static readonly TimeSpan DefaultWaitLimit = TimeSpan.FromSeconds(30);

    // Keyed by the connection string the module was configured with, never by the live connection: an
    // open connection reports the file's resolved path, a closed one the configured path, and both must
    // meet at the same gate. Null for anything that is not a file (in-memory) or not SQLite.
    private readonly ConcurrentDictionary<string, FileTurns?> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FileTurns> _byPath = new(StringComparer.Ordinal);

    public SqliteWriteGate()
        : this(DefaultWaitLimit)
    {
    }

    /// <summary>How long a writer waits for its turn before <see cref="DatabaseBusyException"/> (<c>Database:WriteWaitLimit</c>).</summary>
    public TimeSpan WaitLimit { get; } = waitLimit > TimeSpan.Zero && waitLimit <= LongestWait
        ? waitLimit
        : throw new ArgumentOutOfRangeException(nameof(waitLimit), waitLimit, "Database:WriteWaitLimit must be longer than zero and at most an hour.");

    // A writer that waits longer is not coming back in any useful sense (and a timer cannot count past 49 days).
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>Waits for the file's turn as part of the messaging spine; dispose the result once the write (or transaction) has ended.</summary>
    public ValueTask<IDisposable> EnterAsync(DbContext db, CancellationToken cancellationToken) =>
        EnterAsync(db, command: false, cancellationToken);

    /// <summary>Waits for the file's turn for a command, behind waiting messaging writers; dispose the result once the transaction has ended.</summary>
    public ValueTask<IDisposable> EnterForCommandAsync(DbContext db, CancellationToken cancellationToken) =>
        EnterAsync(db, command: true, cancellationToken);

    private async ValueTask<IDisposable> EnterAsync(DbContext db, bool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (GateOf(db) is not { } gate)
        {
            return Turn.None;
        }

        if (!await gate.WaitAsync(command, WaitLimit, cancellationToken))
        {
            throw new DatabaseBusyException($"No write turn on the module's SQLite file within {WaitLimit.TotalSeconds:0.#} s.");
        }

        return new Turn(gate);
    }

    private FileTurns? GateOf(DbContext db)
    {
        if (db.Database.GetDbConnection() is not SqliteConnection)
        {
            return null;
        }

        var connectionString = db.Database.GetConnectionString() ?? string.Empty;
        return _files.GetOrAdd(connectionString, static (cs, byPath) =>
        {
            var builder = new SqliteConnectionStringBuilder(cs);
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
            {
                return null;
            }

            return byPath.GetOrAdd(Path.GetFullPath(builder.DataSource), static _ => new FileTurns());
        }, _byPath);
    }

    /// <summary>
    /// One holder at a time. Waiters queue in two lines, messaging and commands, each in arrival order; a
    /// turn handed on goes to the first messaging waiter, else to the first command, and to a waiting command
    /// after two spine turns in a row.
    /// </summary>
    private sealed class FileTurns
    {
        private readonly Lock _lock = new();
        private readonly LinkedList<TaskCompletionSource<bool>> _messaging = new();
        private readonly LinkedList<TaskCompletionSource<bool>> _commands = new();
        private const int SpineTurnsInARow = 2;
        private bool _held;
        private int _spineStreak;

        public async Task<bool> WaitAsync(bool command, TimeSpan limit, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LinkedListNode<TaskCompletionSource<bool>> node;
            lock (_lock)
            {
                if (!_held)
                {
                    _held = true;
                    _spineStreak = command ? 0 : 1; // a spine writer that found the file free counts too
                    return true;
                }

                // Continuations run where the turn is handed over: in the work item Release queues, or in GiveUp.
                node = (command ? _commands : _messaging).AddLast(new TaskCompletionSource<bool>());
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limit);
            var giveUp = deadline.Token.UnsafeRegister(static state =>
            {
                var (gate, waiter) = ((FileTurns, LinkedListNode<TaskCompletionSource<bool>>))state!;
                gate.GiveUp(waiter);
            }, (this, node));
            await using (giveUp)
            {
                if (await node.Value.Task)
                {
                    return true;
                }

                cancellationToken.ThrowIfCancellationRequested();
                return false;
            }
        }

        /// <summary>A waiter that timed out or was cancelled leaves its line, unless the turn reached it first.</summary>
        private void GiveUp(LinkedListNode<TaskCompletionSource<bool>> node)
        {
            lock (_lock)
            {
                if (node.List is null)
                {
                    return; // granted first: the waiter holds the turn and gives it back as usual
                }

                node.List.Remove(node);
            }

            // Not inline: the canceller (a timer, or whoever cancelled the caller's token) does not run the waiter's code.
            ThreadPool.UnsafeQueueUserWorkItem(static waiter => waiter.TrySetResult(false), node.Value, preferLocal: false);
        }

        public void Release()
        {
            TaskCompletionSource<bool> next;
            lock (_lock)
            {
                // The spine first, but never more than SpineTurnsInARow while a command waits: several spine
                // loops (consumer, acknowledgements, renewals) taking turns could otherwise shut commands out.
                var line = _messaging.First is not null && (_spineStreak < SpineTurnsInARow || _commands.First is null) ? _messaging : _commands;
                _spineStreak = line == _messaging ? Math.Min(_spineStreak + 1, SpineTurnsInARow) : 0;
                if (line.First is not { } first)
                {
                    _held = false;
                    return;
                }

                line.RemoveFirst();
                next = first.Value;
            }

            // Still held: handed to the next waiter through this thread's local work queue (taken up by this
            // thread after its current work item and anything it queues later, or by an idle one), rather than
            // behind everything in the pool's global queue: every moment between holders the file is idle.
            ThreadPool.UnsafeQueueUserWorkItem(static waiter => waiter.TrySetResult(true), next, preferLocal: true);
        }
    }

    /// <summary>A turn is given back once, however often it is disposed.</summary>
    private sealed class Turn(FileTurns? gate) : IDisposable
    {
        public static readonly Turn None = new(null);

        private int _released;

        public void Dispose()
        {
            if (gate is not null && Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>The database stayed busy longer than a request may wait: the client should retry shortly (503).</summary>
public sealed class DatabaseBusyException(string message) : Exception(message);
