namespace Fraud.Streaming.Scorer;

/// <summary>
/// The challenger: announced on the models topic under <c>{model}/challenger</c>, loaded and checked like the champion
/// (its own <see cref="ModelHolder"/> and <see cref="ModelUpdater"/>), scored in shadow by <see cref="ShadowScorer"/>.
/// </summary>
internal sealed class ShadowModels(ModelHolder holder, ModelUpdater updater) : IDisposable
{
    public ModelHolder Holder => holder;

    public ModelUpdater Updater => updater;

    public void Dispose() => holder.Dispose();
}
