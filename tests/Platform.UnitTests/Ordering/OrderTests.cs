using Platform.Modules.Ordering.Domain;
using Platform.Modules.Payments.Domain;

namespace Platform.UnitTests.Ordering;

/// <summary>The saga's state guards: a step applies once, from the state it belongs to, and never to a finished order.</summary>
public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static Order NewOrder() => Order.Place(Guid.NewGuid(), "ann@example.com",
        [OrderLine.Of(1, Guid.NewGuid(), "A-1", "Kettle", 39.90m, 2), OrderLine.Of(2, Guid.NewGuid(), "B-1", "Mug", 5m, 3)],
        "EUR", null, null, Now);

    [Fact]
    public void A_new_order_is_pending_and_totals_its_lines()
    {
        var order = NewOrder();

        order.Status.Should().Be(OrderStatus.Pending);
        order.Total.Should().Be(94.80m);
        order.History.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Pending);
    }

    [Fact]
    public void Each_step_applies_once_and_only_from_its_own_state()
    {
        var order = NewOrder();

        order.MarkStockReserved(Now).Should().BeTrue();
        order.MarkStockReserved(Now).Should().BeFalse();
        order.Confirm(Now).Should().BeTrue();
        order.Confirm(Now).Should().BeFalse();
        order.Fail("PaymentDeclined", Now).Should().BeFalse("a confirmed order is not failed by a late event");
        order.MarkStockReserved(Now).Should().BeFalse();

        order.Status.Should().Be(OrderStatus.Confirmed);
        order.History.Select(h => h.Status).Should().Equal(OrderStatus.Pending, OrderStatus.StockReserved, OrderStatus.Confirmed);
    }

    [Fact]
    public void A_payment_that_overtakes_the_stock_answer_confirms_and_records_both_steps()
    {
        var order = NewOrder();

        order.Confirm(Now).Should().BeTrue();

        order.History.Select(h => h.Status).Should().Equal(OrderStatus.Pending, OrderStatus.StockReserved, OrderStatus.Confirmed);
    }

    [Fact]
    public void A_cancelled_order_stays_cancelled_whatever_arrives_and_says_whether_it_had_been_confirmed()
    {
        var pending = NewOrder();
        var confirmed = NewOrder();
        confirmed.Confirm(Now);

        pending.CancelByCustomer(Now).Should().BeTrue();
        confirmed.CancelByCustomer(Now).Should().BeTrue();

        foreach (var order in new[] { pending, confirmed })
        {
            order.CancelByCustomer(Now).Should().BeFalse();
            order.Confirm(Now).Should().BeFalse();
            order.MarkStockReserved(Now).Should().BeFalse();
            order.Fail("TimedOut", Now).Should().BeFalse();
            order.CancellationReason.Should().Be("CustomerCancelled");
        }

        pending.CancelledEvent().WasConfirmed.Should().BeFalse();
        confirmed.CancelledEvent().WasConfirmed.Should().BeTrue();
    }

    [Fact]
    public void Every_move_bumps_the_concurrency_token_and_a_refused_one_does_not()
    {
        var order = NewOrder();
        var version = order.Version;

        order.MarkStockReserved(Now);
        order.MarkStockReserved(Now);

        order.Version.Should().Be(version + 1);
    }

    [Fact]
    public void A_payment_is_due_only_once_its_total_is_known_and_its_stock_held_whichever_came_first()
    {
        var payment = Payment.Open(Guid.NewGuid(), Now);
        payment.MarkStockHeld(Now);
        payment.IsDescribed.Should().BeFalse();

        payment.Describe(Guid.NewGuid(), 12m, "EUR", Now);
        payment.Describe(Guid.NewGuid(), 99m, "USD", Now);

        payment.Amount.Should().Be(12m, "the first copy of the total counts; a later one changes nothing");
        payment.Should().Match<Payment>(p => p.StockHeld && p.IsDescribed && p.Status == PaymentStatus.AwaitingStock);
        payment.ChargeKey.Should().Be($"charge-{payment.OrderId:N}");
    }
}
