using System.Globalization;
using Fraud.Streaming.DataSets.Synthetic.Behaviours;
using Fraud.Streaming.DataSets.Synthetic.Scenarios;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>
/// An endless, deterministic stream of labelled transactions in event-time order. Legitimate traffic is a
/// Poisson process over all cards (weighted by activity, thinned outside each card's active hours); fraud
/// scenarios (<see cref="Scenarios"/>, one class each) are scheduled ahead into a queue and merged into the stream by
/// event time. Labels come from their own random stream, so the label mode never changes the transactions.
/// </summary>
public sealed class SyntheticGenerator
{
    private static readonly IFraudScenario[] Scenarios =
        [new CardTesting(), new AccountTakeover(), new StolenCardAbroad(), new MerchantCompromise(), new BustOut(), new CompromisedMerchant(),
         new FriendlyFraud(), new LowAndSlow()];

    /// <summary>Days after its transaction that a legitimate transaction's label comes (fraud is reported sooner).</summary>
    public const int MaturityDays = 45;

    /// <summary>The longest a scenario schedules its transactions after the draw that started it (a merchant compromise).</summary>
    public static readonly TimeSpan LongestScenario = TimeSpan.FromDays(12);

    private readonly SyntheticSettings _settings;
    private readonly Random _random;
    private readonly Random _labels;
    private readonly SyntheticWorld _world;
    private readonly ScenarioContext _context;
    private readonly double _meanGapMs;
    private readonly double _scenarioProbability;
    private readonly double _behaviourProbability;
    private readonly WeightedChoice _behaviours;
    private readonly long[] _fromMs;
    private readonly PriorityQueue<Draft, (long TimeMs, long Seq)> _pending = new();
    private readonly string _idPrefix;
    private double _clockMs;
    private long _nextLegitMs = -1;
    private long _seq;
    private long _emitted;
    private long _scenarioCount;

    public SyntheticGenerator(SyntheticSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Cards);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Merchants);
        if (settings.FraudRate is < 0 or >= 0.9)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "fraud rate must be in [0, 0.9)");
        }
        _settings = settings;
        _random = new Random(settings.Seed);
        _labels = new Random(unchecked(settings.Seed * 31) + 17);
        _world = SyntheticWorld.Create(settings, _random);
        // Genuine look-alikes add their own purchases: legitimate draws are that much further apart, so the mean gap (and
        // the span) hold whatever the realism.
        _behaviours = new WeightedChoice(settings.Realism.BehaviourMix);
        var genuinePerDraw = 1 + (settings.Realism.BehaviourRate * _behaviours.Mean(GenuineBehaviours.All.Select(g => g.ExpectedTransactions).ToArray()));
        _meanGapMs = genuinePerDraw * (settings.MeanGapSeconds is { } gap
            ? gap * 1000 / (1 - settings.FraudRate)
            : settings.SpanDays * ScenarioContext.MsPerDay / (settings.Count * (1 - settings.FraudRate)));
        _context = new ScenarioContext(settings, _random, _world, _meanGapMs, Schedule);
        _behaviourProbability = settings.Realism.BehaviourRate;
        // With p scenarios per legitimate draw (which brings genuinePerDraw genuine purchases):
        // rate = p*F / (genuinePerDraw + p*L + p*F), solved for p.
        var r = settings.FraudRate;
        var f = settings.Mix.Mean(Scenarios.Select(s => s.ExpectedFraud(_context)).ToArray());
        var l = settings.Mix.Mean(Scenarios.Select(s => s.ExpectedLegit(_context)).ToArray());
        _scenarioProbability = r * genuinePerDraw / (f - (r * (f + l)));
        _fromMs = Scenarios.Select(s => settings.ScenarioFrom.TryGetValue(s.Name, out var from)
            ? (long)(from - settings.Start).TotalMilliseconds
            : long.MinValue).ToArray();
        _idPrefix = settings.IdPrefix ?? string.Create(CultureInfo.InvariantCulture, $"tx-{settings.Seed}-");
    }

    public SyntheticWorld World => _world;

    /// <summary>How many events <see cref="Next"/> has returned.</summary>
    public long Emitted => _emitted;

    public GeneratedEvent Next()
    {
        if (_nextLegitMs < 0)
        {
            _clockMs += -Math.Log(1.0 - _random.NextDouble()) * _meanGapMs;
            _nextLegitMs = (long)_clockMs;
        }
        if (_pending.TryPeek(out var scheduled, out var at) && at.TimeMs <= _nextLegitMs)
        {
            _pending.Dequeue();
            return Emit(scheduled);
        }

        var now = _nextLegitMs;
        _nextLegitMs = -1;
        if (_scenarioProbability > 0 && _random.NextDouble() < _scenarioProbability)
        {
            StartScenario(now);
        }
        if (_behaviourProbability > 0 && _random.NextDouble() < _behaviourProbability)
        {
            StartBehaviour(now);
        }
        return Emit(Legit(now));
    }

    private Draft Legit(long timeMs)
    {
        var hour = (int)(((_settings.Start.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond) + timeMs) % ScenarioContext.MsPerDay / ScenarioContext.MsPerHour);
        var cardIndex = _world.PickCard(_random);
        // With night owls in the world, the night's purchases are theirs: more tries to find a card awake at this hour.
        var (tries, anyway) = _settings.Realism.NightOwlShare > 0 ? (16, 0.02) : (4, 0.1);
        for (var attempt = 0; attempt < tries && !_world.Cards[cardIndex].IsActiveAt(hour) && _random.NextDouble() > anyway; attempt++)
        {
            cardIndex = _world.PickCard(_random);
        }
        var card = _world.Cards[cardIndex];

        int merchantIndex;
        var travelling = _random.NextDouble() < 0.015;
        if (travelling)
        {
            var country = WorldCatalog.HomeCountries[_random.Next(WorldCatalog.HomeCountries.Length)];
            merchantIndex = _world.PickMerchantIn(_random, country);
        }
        else if (_random.NextDouble() < 0.85)
        {
            merchantIndex = card.PreferredMerchants[_random.Next(card.PreferredMerchants.Length)];
        }
        else
        {
            merchantIndex = _world.PickMerchantIn(_random, card.HomeCountry);
        }
        return _context.LegitAt(timeMs, cardIndex, merchantIndex, travelling);
    }

    private void StartScenario(long startMs)
    {
        var scenario = _scenarioCount++;
        var kind = _settings.Mix.Pick(_random);
        var cardIndex = _world.PickCard(_random);
        var device = string.Create(CultureInfo.InvariantCulture, $"dev-x{scenario:D7}");
        var ip = string.Create(CultureInfo.InvariantCulture, $"185.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(1, 255)}");
        if (startMs < _fromMs[kind])
        {
            return; // a pattern that has not appeared yet
        }
        Scenarios[kind].Schedule(_context, startMs, cardIndex, device, ip);
    }

    /// <summary>A genuine look-alike (travel, a new phone, a spree, a large purchase) for a card drawn by activity.</summary>
    private void StartBehaviour(long startMs)
    {
        GenuineBehaviours.All[_behaviours.Pick(_random)].Schedule(_context, startMs, _world.PickCard(_random));
    }


    private void Schedule(Draft draft) => _pending.Enqueue(draft, (draft.TimeMs, _seq++));

    private GeneratedEvent Emit(Draft d)
    {
        var card = _world.Cards[d.Card];
        var merchant = _world.Merchants[d.Merchant];
        var eventTime = _settings.Start.AddMilliseconds(d.TimeMs);
        var id = string.Concat(_idPrefix, _emitted.ToString("D9", CultureInfo.InvariantCulture));
        _emitted++;
        var transaction = new Transaction
        {
            TransactionId = id,
            EventTime = eventTime,
            CardId = card.Id,
            MerchantId = merchant.Id,
            MerchantCategory = _settings.Vocabulary == WorldVocabulary.Mcc
                ? WorldCatalog.CategoryMcc[WorldCatalog.IndexOfCategory(merchant.Category)]
                : merchant.Category,
            Amount = Math.Round(d.Amount * _settings.AmountScale, 2),
            Currency = card.Currency,
            Country = d.Country,
            Channel = _settings.Vocabulary == WorldVocabulary.Mcc ? WorldCatalog.CanonicalChannel(d.Channel) : d.Channel,
            DeviceId = d.Device,
            Ip = d.Ip,
            EmailDomain = card.EmailDomain,
        };
        return LabelOf(transaction, d.Scenario);
    }

    /// <summary>
    /// The transaction's ground truth and what the feed says of it: a fraud is reported 1-30 days later (two in five
    /// within four days); a genuine one is
    /// settled after 45 days (<see cref="LabelMode.All"/>), or, as issuers do, said nothing of unless reviewed.
    /// </summary>
    /// <summary>
    /// Whether the cardholder never reports this card's fraud of this scenario (<see cref="WorldRealism.UnreportedShare"/>):
    /// decided by card and scenario, from a hash rather than a random draw, so the rest of the feed stays as it is.
    /// </summary>
    private bool IsUnreported(string cardId, string scenario)
    {
        if (_settings.Realism.UnreportedShare <= 0)
        {
            return false;
        }
        var hash = 2166136261u ^ (uint)_settings.Seed;
        foreach (var c in cardId)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        foreach (var c in scenario)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        return (hash % 10_000) < _settings.Realism.UnreportedShare * 10_000;
    }

    private GeneratedEvent LabelOf(Transaction transaction, string? scenario)
    {
        var reviewed = _labels.NextDouble() < _settings.ReviewRate;
        // Two in five frauds are confirmed within days (the cardholder calls in); the rest come back as chargebacks
        // within a month.
        var confirmed = _labels.NextDouble() < 0.4;
        var delayHours = confirmed ? 24 + _labels.Next(3 * 24) : (4 * 24) + _labels.Next(26 * 24);
        var label = new Label
        {
            TransactionId = transaction.TransactionId,
            CardId = transaction.CardId,
            IsFraud = scenario is not null,
            LabelledAt = transaction.EventTime.AddHours(scenario is not null ? delayHours : 45 * 24),
            Source = scenario is null ? FraudScenarios.MaturedSource : confirmed ? FraudScenarios.ConfirmedSource : FraudScenarios.ChargebackSource,
            Scenario = scenario,
        };
        if (scenario is not null && _settings.Labels != LabelMode.Truth && IsUnreported(transaction.CardId, scenario))
        {
            // Never reported: the feed says nothing (or, with every label, that it matured genuine), as for a genuine one.
            return _settings.Labels == LabelMode.All
                ? new GeneratedEvent(transaction, label with { IsFraud = false, LabelledAt = transaction.EventTime.AddDays(MaturityDays), Source = FraudScenarios.MaturedSource, Scenario = null })
                : new GeneratedEvent(transaction, label, Published: false);
        }
        if (scenario is not null || _settings.Labels is LabelMode.All or LabelMode.Truth)
        {
            return new GeneratedEvent(transaction, label);
        }
        if (reviewed)
        {
            // An analyst's review: a genuine outcome the feed does carry, a day or two later.
            return new GeneratedEvent(transaction, label with { LabelledAt = transaction.EventTime.AddHours(24 + (delayHours % 48)), Source = FraudScenarios.ReviewSource });
        }
        return new GeneratedEvent(transaction, label, Published: false);
    }
}
