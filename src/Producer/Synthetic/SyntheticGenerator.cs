using System.Globalization;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Synthetic;

/// <summary>
/// An endless, deterministic stream of labelled transactions in event-time order. Legitimate traffic is a
/// Poisson process over all cards (weighted by activity, thinned outside each card's active hours); fraud
/// scenarios are scheduled ahead into a queue and merged into the stream by event time.
/// </summary>
internal sealed class SyntheticGenerator
{
    // Expected fraud transactions per scenario, indexed like FraudScenarios.All: card testing 3-6 probes + 1
    // cash-out; takeover 1-3; stolen card 2-5; merchant compromise one per exposed card (3-8); bust-out 3-6.
    private static readonly double[] FraudPerScenario = [5.5, 2, 3.5, 5.5, 4.5];

    // Legitimate transactions a scenario adds: the exposed cards' purchases at the compromised merchant.
    private static readonly double[] LegitPerScenario = [0, 0, 0, 5.5, 0];
    private const long MsPerMinute = 60_000;
    private const long MsPerHour = 60 * MsPerMinute;
    private const long MsPerDay = 24 * MsPerHour;

    /// <summary>Days after its transaction that a legitimate transaction's label comes (fraud is reported sooner).</summary>
    internal const int MaturityDays = 45;

    /// <summary>The longest a scenario schedules its transactions after the draw that started it (a merchant compromise).</summary>
    internal static readonly TimeSpan LongestScenario = TimeSpan.FromDays(12);

    private readonly SyntheticSettings _settings;
    private readonly Random _random;
    private readonly SyntheticWorld _world;
    private readonly double _meanGapMs;
    private readonly double _scenarioProbability;
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
        _world = SyntheticWorld.Create(settings, _random);
        _meanGapMs = settings.MeanGapSeconds is { } gap
            ? gap * 1000 / (1 - settings.FraudRate)
            : settings.SpanDays * MsPerDay / (settings.Count * (1 - settings.FraudRate));
        // With p scenarios per legitimate draw: rate = p*F / (1 + p*L + p*F), solved for p.
        var r = settings.FraudRate;
        var f = settings.Mix.Mean(FraudPerScenario);
        var l = settings.Mix.Mean(LegitPerScenario);
        _scenarioProbability = r / (f - (r * (f + l)));
        _idPrefix = string.Create(CultureInfo.InvariantCulture, $"tx-{settings.Seed}-");
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
            ScheduleScenario(now);
        }
        return Emit(Legit(now));
    }

    private Draft Legit(long timeMs)
    {
        var hour = (int)(((_settings.Start.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond) + timeMs) % MsPerDay / MsPerHour);
        var cardIndex = _world.PickCard(_random);
        for (var attempt = 0; attempt < 4 && !_world.Cards[cardIndex].IsActiveAt(hour) && _random.NextDouble() > 0.1; attempt++)
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
        return LegitAt(timeMs, cardIndex, merchantIndex, travelling);
    }

    private Draft LegitAt(long timeMs, int cardIndex, int merchantIndex, bool travelling)
    {
        var card = _world.Cards[cardIndex];
        var merchant = _world.Merchants[merchantIndex];

        // At home a card only pays a foreign merchant online; in person abroad means travelling.
        var online = merchant.Online
            || (!travelling && merchant.Country != card.HomeCountry)
            || (!travelling && _random.NextDouble() < card.OnlineShare * 0.3);
        var factor = WorldCatalog.CategoryAmountFactor[WorldCatalog.IndexOfCategory(merchant.Category)];
        var amount = Math.Exp(card.AmountMu + (card.AmountSigma * SyntheticWorld.Gaussian(_random))) * factor;
        return new Draft(
            timeMs,
            cardIndex,
            merchantIndex,
            Math.Max(0.5, amount),
            online ? card.HomeCountry : merchant.Country,
            online ? "online" : _random.NextDouble() < 0.6 ? "contactless" : "pos",
            online ? card.Devices[_random.Next(card.Devices.Length)] : null,
            online ? card.Ip : null,
            null);
    }

    private void ScheduleScenario(long startMs)
    {
        var scenario = _scenarioCount++;
        var kind = _settings.Mix.Pick(_random);
        var cardIndex = _world.PickCard(_random);
        var card = _world.Cards[cardIndex];
        var device = string.Create(CultureInfo.InvariantCulture, $"dev-x{scenario:D7}");
        var ip = string.Create(CultureInfo.InvariantCulture, $"185.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(1, 255)}");
        switch (FraudScenarios.All[kind])
        {
            case FraudScenarios.CardTesting:
                CardTesting(startMs, cardIndex, card, device, ip);
                break;
            case FraudScenarios.AccountTakeover:
                AccountTakeover(startMs, cardIndex, card, device, ip);
                break;
            case FraudScenarios.StolenCardAbroad:
                StolenCardAbroad(startMs, cardIndex, card);
                break;
            case FraudScenarios.MerchantCompromise:
                MerchantCompromise(startMs, device, ip);
                break;
            default:
                BustOut(startMs, cardIndex, card);
                break;
        }
    }

    private void CardTesting(long startMs, int cardIndex, CardProfile card, string device, string ip)
    {
        // Cheap probes at merchants the card has never used, then the cash-out.
        var t = startMs;
        var probes = 3 + _random.Next(4);
        for (var i = 0; i < probes; i++)
        {
            t += 5_000 + _random.Next(85_000);
            var merchant = NewMerchantFor(card);
            Schedule(new Draft(t, cardIndex, merchant, 0.5 + (_random.NextDouble() * 2.5), card.HomeCountry, "online", device, ip, FraudScenarios.CardTesting));
        }
        t += MsPerMinute + _random.Next((int)(9 * MsPerMinute));
        var big = PickMerchantOfCategory(_random.NextDouble() < 0.5 ? "electronics" : "jewelry");
        Schedule(new Draft(t, cardIndex, big, card.TypicalAmount * (8 + (_random.NextDouble() * 17)), card.HomeCountry, "online", device, ip, FraudScenarios.CardTesting));
    }

    private void AccountTakeover(long startMs, int cardIndex, CardProfile card, string device, string ip)
    {
        // A foreign device at night (usually), amounts far above the card's usual.
        var country = ForeignCountryFor(card);
        long t;
        if (_random.NextDouble() < 0.7)
        {
            var dayStart = startMs - (((_settings.Start.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond) + startMs) % MsPerDay);
            t = dayStart + (long)(_random.NextDouble() * 5 * MsPerHour);
            if (t < startMs)
            {
                t += MsPerDay;
            }
        }
        else
        {
            t = startMs + (long)(_random.NextDouble() * 2 * MsPerHour);
        }
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var category = WorldCatalog.Categories[_random.NextDouble() < 0.5 ? 5 : _random.Next(WorldCatalog.Categories.Length)];
            var merchant = PickMerchantOfCategory(category);
            Schedule(new Draft(t, cardIndex, merchant, card.TypicalAmount * (4 + (_random.NextDouble() * 11)), country, "online", device, ip, FraudScenarios.AccountTakeover));
            t += (2 * MsPerMinute) + _random.Next((int)(28 * MsPerMinute));
        }
    }

    private void StolenCardAbroad(long startMs, int cardIndex, CardProfile card)
    {
        // In person in a country the card does not live in, several shops within hours: no device, no IP.
        var country = ForeignCountryFor(card);
        var t = startMs;
        var count = 2 + _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var category = WorldCatalog.Categories[_random.NextDouble() < 0.6 ? (_random.NextDouble() < 0.5 ? 5 : 9) : 4];
            var merchant = PickMerchantOfCategory(category);
            var channel = _random.NextDouble() < 0.5 ? "pos" : "contactless";
            Schedule(new Draft(t, cardIndex, merchant, card.TypicalAmount * (2 + (_random.NextDouble() * 6)), country, channel, null, null, FraudScenarios.StolenCardAbroad));
            t += (10 * MsPerMinute) + _random.Next((int)(50 * MsPerMinute));
        }
    }

    private void MerchantCompromise(long startMs, string device, string ip)
    {
        // The breach: ordinary purchases by several cards at one merchant over a day or two (legitimate, labelled so).
        // The fraud: days later each of those cards is used online from the fraudster's device, at high amounts.
        var breached = _random.Next(_world.Merchants.Count);
        var cards = 3 + _random.Next(6);
        for (var i = 0; i < cards; i++)
        {
            var cardIndex = _world.PickCard(_random);
            var card = _world.Cards[cardIndex];
            var exposedAt = startMs + (long)(_random.NextDouble() * 2 * MsPerDay);
            Schedule(LegitAt(exposedAt, cardIndex, breached, travelling: false));
            var usedAt = exposedAt + (2 * MsPerDay) + (long)(_random.NextDouble() * 8 * MsPerDay);
            var merchant = PickMerchantOfCategory(_random.NextDouble() < 0.5 ? "electronics" : "digital_goods");
            Schedule(new Draft(usedAt, cardIndex, merchant, card.TypicalAmount * (3 + (_random.NextDouble() * 7)), card.HomeCountry, "online", device, ip, FraudScenarios.MerchantCompromise));
        }
    }

    private void BustOut(long startMs, int cardIndex, CardProfile card)
    {
        // The cardholder's own device and country: purchases grow step by step over a day or two, then stop.
        var device = card.Devices[_random.Next(card.Devices.Length)];
        var t = startMs;
        var factor = 1.5 + _random.NextDouble();
        var count = 3 + _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var merchant = PickMerchantOfCategory(_random.NextDouble() < 0.5 ? "electronics" : "jewelry");
            Schedule(new Draft(t, cardIndex, merchant, card.TypicalAmount * factor, card.HomeCountry, "online", device, card.Ip, FraudScenarios.BustOut));
            factor *= 1.3 + (_random.NextDouble() * 0.5);
            t += (2 * MsPerHour) + _random.Next((int)(8 * MsPerHour));
        }
    }

    private int NewMerchantFor(CardProfile card)
    {
        var merchant = _random.Next(_world.Merchants.Count);
        for (var attempt = 0; attempt < 3 && Array.IndexOf(card.PreferredMerchants, merchant) >= 0; attempt++)
        {
            merchant = _random.Next(_world.Merchants.Count);
        }
        return merchant;
    }

    private int PickMerchantOfCategory(string category)
    {
        // A bounded search keeps this deterministic and cheap even when the category is rare.
        var merchant = _random.Next(_world.Merchants.Count);
        for (var attempt = 0; attempt < 20 && _world.Merchants[merchant].Category != category; attempt++)
        {
            merchant = _random.Next(_world.Merchants.Count);
        }
        return merchant;
    }

    private string ForeignCountryFor(CardProfile card)
    {
        if (_random.NextDouble() < 0.7)
        {
            return WorldCatalog.FraudCountries[_random.Next(WorldCatalog.FraudCountries.Length)];
        }
        var country = WorldCatalog.HomeCountries[_random.Next(WorldCatalog.HomeCountries.Length)];
        return country == card.HomeCountry ? WorldCatalog.FraudCountries[0] : country;
    }

    private void Schedule(Draft draft) => _pending.Enqueue(draft, (draft.TimeMs, _seq++));

    private GeneratedEvent Emit(Draft d)
    {
        var card = _world.Cards[d.Card];
        var merchant = _world.Merchants[d.Merchant];
        var eventTime = _settings.Start.AddMilliseconds(d.TimeMs);
        var id = string.Concat(_idPrefix, _emitted.ToString("D9", CultureInfo.InvariantCulture));
        _emitted++;
        var fraud = d.Scenario is not null;
        var transaction = new Transaction
        {
            TransactionId = id,
            EventTime = eventTime,
            CardId = card.Id,
            MerchantId = merchant.Id,
            MerchantCategory = merchant.Category,
            Amount = Math.Round(d.Amount, 2),
            Currency = card.Currency,
            Country = d.Country,
            Channel = d.Channel,
            DeviceId = d.Device,
            Ip = d.Ip,
            EmailDomain = card.EmailDomain,
        };
        var label = new Label
        {
            TransactionId = id,
            CardId = card.Id,
            IsFraud = fraud,
            // Chargebacks arrive days to weeks later; a legitimate transaction counts as settled after 45 days.
            LabelledAt = fraud ? eventTime.AddHours(24 + _random.Next(29 * 24)) : eventTime.AddDays(MaturityDays),
            Source = fraud ? FraudScenarios.ChargebackSource : FraudScenarios.MaturedSource,
            Scenario = d.Scenario,
        };
        return new GeneratedEvent(transaction, label);
    }

    private readonly record struct Draft(
        long TimeMs,
        int Card,
        int Merchant,
        double Amount,
        string Country,
        string Channel,
        string? Device,
        string? Ip,
        string? Scenario);
}
