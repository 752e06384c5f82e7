using System.Text;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

/// <summary>
/// <see cref="TransactionReader"/> reads the common shape of a transaction by hand and leaves every other message to
/// the serializer: held here to the serializer's own reading, message for message.
/// </summary>
public sealed class TransactionReaderTests
{
    private const string Valid = """{"schema_version":1,"transaction_id":"t1","event_time":"2026-03-01T10:00:00.25+01:00","card_id":"c1","merchant_id":"m1","merchant_category":"grocery","amount":12.5,"currency":"EUR","country":"FR","channel":"pos","device_id":"d-9","ip":"10.0.0.1","email_domain":"example.org"}""";

    public static TheoryData<string> CommonShapes => new()
    {
        Valid,
        // The fields in another order, whitespace between tokens, the optional ones absent or null.
        """ { "card_id" : "c1", "transaction_id":"t1", "amount":0, "event_time":"2026-03-01T10:00:00Z", "merchant_id":"m1", "merchant_category":"", "currency":"EUR", "country":"FR", "channel":"online" } """,
        """{"transaction_id":"t1","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1e2,"currency":"EUR","country":"FR","channel":"pos","device_id":null,"ip":null,"email_domain":null,"attributes":null}""",
        // Escapes, in texts and in a field's name, and texts beyond ASCII.
        """{"transaction_id":"t\"1\u00e9","event_time":"2026-03-01T10:00:00Z","card\u005fid":"c\\1","merchant_id":"caf\u00e9","merchant_category":"épicerie","amount":-0.0,"currency":"EUR","country":"FR","channel":"pos"}""",
        // A schema version this build does not serve is read (the validator refuses it, not the reader).
        """{"schema_version":2,"transaction_id":"t1","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1,"currency":"EUR","country":"FR","channel":"pos"}""",
    };

    [Theory]
    [MemberData(nameof(CommonShapes))]
    public void The_common_shapes_are_read_by_hand_as_the_serializer_reads_them(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.True(ReadRecord(utf8, out var read));
        AssertSameAsSerializer(utf8, read);
        // Read as the scorer reads a message: the same transaction, a plain id kept as the message's own bytes.
        Assert.True(TransactionReader.TryRead(utf8, utf8, out var fields));
        AssertSameAsSerializer(utf8, fields.ToRecord());
        Assert.Equal(!read.TransactionId.Contains('"', StringComparison.Ordinal), fields.TransactionId.IsAscii);
        Assert.Equal(StableHash.Of64(read.TransactionId), fields.TransactionId.Of64);
        Assert.Equal(StableHash.Of64(read.CardId), fields.CardId.Of64);
        Assert.Equal(StableHash.Of(read.MerchantId), fields.MerchantId.Of32);
    }

    public static TheoryData<string, string, bool> Identifiers
    {
        get
        {
            var data = new TheoryData<string, string, bool>();
            string[] fields = ["transaction_id", "card_id", "merchant_id", "device_id", "ip"];
            (string Value, bool KeptAsBytes)[] values =
            [
                ("t-1", true), ("", true), ("   ", true), (new string('x', ContractLimits.MaxIdLength), true),
                (new string('x', ContractLimits.MaxIdLength + 1), true), (new string('x', ContractLimits.MaxTextLength + 1), false),
                ("\\t\\n", false), ("a\\u0000b", false), ("caf\\u00e9", false), ("café", false),
            ];
            foreach (var name in fields)
            {
                foreach (var (value, kept) in values)
                {
                    data.Add(name, value, kept);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Identifiers))]
    public void An_identifier_kept_as_bytes_is_judged_and_hashed_as_the_same_text_as_a_string(string field, string value, bool keptAsBytes)
    {
        var original = System.Text.Json.Nodes.JsonNode.Parse(Valid)![field]!.GetValue<string>();
        var utf8 = Encoding.UTF8.GetBytes(Valid.Replace($"\"{field}\":\"{original}\"", $"\"{field}\":\"{value}\"", StringComparison.Ordinal));
        var window = EventTimeWindow.FloorOnly;
        // The record's path makes every text a string: what the fields' path must decide alike.
        var expected = TransactionValidator.TryParse(utf8, window, out var record, out var expectedReason);
        Assert.Equal(expected, TransactionValidator.TryParseFields(utf8, window, out var fields, out var reason));
        Assert.Equal(expectedReason, reason);
        if (!expected)
        {
            return;
        }
        Assert.Equal(ContractJson.Serialize(record!), ContractJson.Serialize(fields.ToRecord()));
        var text = field switch
        {
            "transaction_id" => fields.TransactionId,
            "card_id" => fields.CardId,
            "merchant_id" => fields.MerchantId,
            "device_id" => fields.DeviceId,
            _ => fields.Ip,
        };
        var asString = new TransactionText(text.Text);
        Assert.Equal(keptAsBytes, text.IsAscii);
        Assert.Equal(asString.Of64, text.Of64);
        Assert.Equal(asString.Of32, text.Of32);
        Assert.True(text.Utf8Equals(Encoding.UTF8.GetBytes(text.Text!)));
        Assert.False(text.Utf8Equals(Encoding.UTF8.GetBytes(text.Text + "x")));
        Assert.Equal(FeatureInput.Of(record!), FeatureInput.Of(fields, CardStateStore.KeyOf(fields.CardId)));
    }

    [Theory]
    [InlineData("   ", RejectCode.MissingField)]
    [InlineData("", RejectCode.MissingField)]
    [InlineData("a\\u0000b", RejectCode.InvalidField)]
    [InlineData("x\\u0000", RejectCode.InvalidField)]
    public void A_blank_or_unstorable_id_is_refused_however_it_is_held(string id, RejectCode code)
    {
        var utf8 = Encoding.UTF8.GetBytes(Valid.Replace("\"t1\"", $"\"{id}\"", StringComparison.Ordinal));
        Assert.False(TransactionValidator.TryParseFields(utf8, EventTimeWindow.FloorOnly, out _, out var reason));
        Assert.Equal(code, reason.Code);
    }

    [Fact]
    public void Messages_of_the_common_shape_are_read_and_validated_into_fields_without_allocating_even_for_cards_never_seen()
    {
        // A stream of cards and devices each seen once (as a large card base is): no identifier can come from a cache.
        var messages = Enumerable.Range(0, 500)
            .Select(i => Encoding.UTF8.GetBytes(Valid.Replace("\"c1\"", $"\"card-{i:D6}\"", StringComparison.Ordinal)
                .Replace("\"d-9\"", $"\"dev-{i:D6}\"", StringComparison.Ordinal).Replace("\"t1\"", $"\"tx-{i:D8}\"", StringComparison.Ordinal)))
            .ToArray();
        var window = EventTimeWindow.FloorOnly;
        Assert.True(TransactionValidator.TryParseFields(messages[0], window, out _, out _)); // the codes' cache learns the codes
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = 0;
        for (var i = 1; i < messages.Length; i++)
        {
            read += TransactionValidator.TryParseFields(messages[i], window, out var fields, out _) && fields.Record is null && fields.CardId.IsAscii ? 1 : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(messages.Length - 1, read);
        Assert.Equal(0, allocated);
    }


    public static TheoryData<string> LeftToTheSerializer => new()
    {
        "",
        "null",
        "[]",
        "{",
        Valid + " x",
        Valid[..^1] + ",}",
        Valid[..^1] + ""","extra":1}""",
        Valid[..^1] + ""","card_id":"c2"}""",
        Valid[..^1] + ""","attributes":{"v1":1}}""",
        Valid.Replace("\"t1\"", "null", StringComparison.Ordinal),
        Valid.Replace("\"amount\":12.5,", "", StringComparison.Ordinal),
        Valid.Replace("12.5", "\"12.5\"", StringComparison.Ordinal),
        Valid.Replace("12.5", "1e999", StringComparison.Ordinal),
        Valid.Replace("\"schema_version\":1", "\"schema_version\":1.0", StringComparison.Ordinal),
        Valid.Replace("\"pos\"", "7", StringComparison.Ordinal),
        Valid.Replace("2026-03-01T10:00:00.25+01:00", "yesterday", StringComparison.Ordinal),
        Valid.Replace("\"card_id\"", "\"Card_Id\"", StringComparison.Ordinal),
        Valid.Replace("\"c1\"", "\"\\ud800\"", StringComparison.Ordinal),
        "/* note */" + Valid,
    };

    [Theory]
    [MemberData(nameof(LeftToTheSerializer))]
    public void Every_other_message_is_left_to_the_serializer(string json)
    {
        Assert.False(ReadRecord(Encoding.UTF8.GetBytes(json), out var read));
        Assert.Null(read);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_left_to_the_serializer()
    {
        var utf8 = Encoding.UTF8.GetBytes(Valid.Replace("grocery", "gro#ery", StringComparison.Ordinal));
        utf8[Array.IndexOf(utf8, (byte)'#')] = 0xC3; // a lead byte with no continuation
        Assert.False(ReadRecord(utf8, out _));
        Assert.False(TransactionValidator.TryDeserialize(utf8, out _, out var reason));
        Assert.Equal(RejectCode.InvalidField, reason.Code);
    }

    [Fact]
    public void Mutated_messages_the_reader_accepts_are_the_serializers_transactions_and_the_validator_decides_as_before()
    {
        var random = new Random(17);
        const string alphabet = "{}[],:\"\\ 0123456789.eE+-nultrfacdsi_é\u00ff";
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var json = new StringBuilder(Valid);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(json.Length);
                switch (random.Next(3))
                {
                    case 0:
                        json.Remove(at, 1);
                        break;
                    case 1:
                        json.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        json[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                }
            }
            var utf8 = Encoding.UTF8.GetBytes(json.ToString());
            if (ReadRecord(utf8, out var read))
            {
                accepted++;
                AssertSameAsSerializer(utf8, read);
            }
            // The validator's answer is the serializer's, whichever reader read the message.
            var window = EventTimeWindow.Now(ContractLimits.DefaultMaxFutureSkew);
            var parsed = TransactionValidator.TryParse(utf8, window, out var viaReader, out var reason);
            var expected = TransactionValidator.TryDeserialize(utf8, out var viaSerializer, out var expectedReason)
                ? TransactionValidator.Validate(viaSerializer, window, out expectedReason)
                : false;
            Assert.Equal(expected, parsed);
            Assert.Equal(expectedReason.Code, reason.Code);
            // And so is the scorer's, whose fields keep a plain id in the message.
            Assert.Equal(expected, TransactionValidator.TryParseFields(utf8, window, out var fields, out var fieldsReason));
            Assert.Equal(expectedReason.Code, fieldsReason.Code);
            if (parsed)
            {
                Assert.Equal(ContractJson.Serialize(viaSerializer!), ContractJson.Serialize(viaReader!));
                Assert.Equal(ContractJson.Serialize(viaSerializer!), ContractJson.Serialize(fields.ToRecord()));
            }
        }
        // Mutations that leave a readable transaction (a digit of the amount, a letter of a text) must be common enough to test anything.
        Assert.True(accepted > 1_000, $"only {accepted} of 20,000 mutated messages were read by hand");
    }

    [Fact]
    public void A_card_merchant_or_country_read_again_is_the_same_string()
    {
        var utf8 = Encoding.UTF8.GetBytes(Valid);
        Assert.True(ReadRecord(utf8, out var first));
        Assert.True(ReadRecord(utf8, out var second));
        Assert.Same(first.CardId, second.CardId);
        Assert.Same(first.MerchantId, second.MerchantId);
        Assert.Same(first.Country, second.Country);
        Assert.Same(first.Channel, second.Channel);
        // Every transaction has an id of its own: it is never kept.
        Assert.NotSame(first.TransactionId, second.TransactionId);
    }

    [Fact]
    public void A_text_cache_answers_each_text_with_its_own_string_whatever_shares_its_slot()
    {
        var cache = new Utf8TextCache(2);
        var texts = Enumerable.Range(0, 50).Select(i => $"card-{i:D4}").ToArray();
        for (var round = 0; round < 3; round++)
        {
            foreach (var text in texts)
            {
                Assert.Equal(text, cache.Get(Encoding.ASCII.GetBytes(text)));
            }
        }
        var longText = new string('x', Utf8TextCache.MaxCachedLength + 1);
        Assert.Equal(longText, cache.Get(Encoding.ASCII.GetBytes(longText)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Utf8TextCache(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Utf8TextCache(1));
    }

    [Fact]
    public void Two_texts_that_share_a_slot_pair_are_both_kept()
    {
        // Two slots are one pair: every text meets every other there.
        var cache = new Utf8TextCache(2);
        var first = cache.Get("digital_goods"u8);
        var second = cache.Get("travel"u8);
        for (var i = 0; i < 3; i++)
        {
            Assert.Same(first, cache.Get("digital_goods"u8));
            Assert.Same(second, cache.Get("travel"u8));
        }
        // A third pushes one of them out, and is then kept itself.
        var third = cache.Get("restaurant"u8);
        Assert.Same(third, cache.Get("restaurant"u8));
    }

    /// <summary>The reader's transaction as a record, as the validator's record path makes it; false when the serializer must read it.</summary>
    private static bool ReadRecord(byte[] utf8, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Transaction? transaction)
    {
        transaction = TransactionReader.TryRead(utf8, null, out var fields) ? fields.ToRecord() : null;
        return transaction is not null;
    }

    private static void AssertSameAsSerializer(byte[] utf8, Transaction read)
    {
        Assert.True(TransactionValidator.TryDeserialize(utf8, out var expected, out var reason), reason.Detail);
        // Serialized, so the event time's offset counts too (records compare instants only).
        Assert.Equal(Encoding.UTF8.GetString(ContractJson.Serialize(expected)), Encoding.UTF8.GetString(ContractJson.Serialize(read)));
    }
}
