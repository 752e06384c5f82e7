using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Turns a consumed message into the row it becomes or the dead letter it is, with the contract every consumer applies
/// (<see cref="MessageContract"/>), so Monitoring refuses exactly what the scorer refuses.
/// </summary>
internal sealed class HistoryMessageParser(KafkaOptions kafka, ValidationOptions validation)
{
    public HistoryMessage Parse(ConsumeResult<byte[], byte[]> result)
    {
        var source = new SourcePosition(result.Topic, result.Partition.Value, result.Offset.Value);
        var message = result.Message;
        var value = message.Value;
        var window = MessageContract.WindowOf(message, validation);
        RejectReason reason;
        if (result.Topic == kafka.TransactionsTopic)
        {
            if (MessageContract.TryTransaction(message, validation, out var transaction, out reason))
            {
                return new HistoryMessage { Source = source, Payload = value, Transaction = transaction };
            }
        }
        else if (result.Topic == kafka.VerdictsTopic)
        {
            if (VerdictValidator.TryParse(value, window, out var verdict, out reason))
            {
                return new HistoryMessage { Source = source, Payload = value, Verdict = verdict };
            }
        }
        else if (LabelValidator.TryParse(value, window, out var label, out reason))
        {
            return new HistoryMessage { Source = source, Payload = value, Label = label };
        }
        return new HistoryMessage { Source = source, Payload = value, Refused = new DeadLetter(source, reason.CodeName, reason.Detail, value) };
    }
}
