namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>
/// How much the synthetic world looks like real card traffic (docs/SYNTHETIC.md): genuine behaviour that looks like
/// fraud, fraud that is never reported, and cards whose activity differs by orders of magnitude. <see cref="None"/> is
/// the classic world, event for event (every draw below is gated by its setting, so none of it touches that world's
/// random stream).
/// </summary>
public sealed record WorldRealism
{
    /// <summary>The classic world: none of it.</summary>
    public static WorldRealism None { get; } = new();

    /// <summary>The default world: hard to tell a good model from a weak one.</summary>
    public static WorldRealism Hard { get; } = new()
    {
        BehaviourRate = 0.05,
        BehaviourMix = [0.3, 0.2, 0.3, 0.2],
        NightOwlShare = 0.15,
        ActivitySpread = 1.6,
        UnreportedShare = 0.10,
    };

    /// <summary>Probability, per genuine purchase drawn, that one of the genuine look-alike behaviours starts for a card.</summary>
    public double BehaviourRate { get; init; }

    /// <summary>Relative weights of the behaviours, indexed like <see cref="Behaviours.GenuineBehaviours.All"/>.</summary>
    public IReadOnlyList<double> BehaviourMix { get; init; } = [0, 0, 0, 0];

    /// <summary>Share of cards active through the night (evening to the small hours) instead of the day.</summary>
    public double NightOwlShare { get; init; }

    /// <summary>
    /// Spread of card activity: each card's weight is exp(spread × N(0,1)) (0: the classic world's own spread of 0.7).
    /// 1.6 spans about one purchase a month to several a day.
    /// </summary>
    public double ActivitySpread { get; init; }

    /// <summary>Share of fraud (by card and scenario) the cardholder never reports: it matures as genuine.</summary>
    public double UnreportedShare { get; init; }

    public bool IsNone => this == None;
}
