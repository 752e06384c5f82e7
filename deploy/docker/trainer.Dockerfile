# The trainer: docker build -f deploy/docker/trainer.Dockerfile -t fraud-streaming/trainer .   (context: repository root)
# GPU: the GBDT runs on CUDA through ILGPU, which needs only the NVIDIA driver. The NVIDIA container toolkit mounts
# the host's driver into the container (docker run --gpus all; on Kubernetes, a nvidia.com/gpu resource); no CUDA
# toolkit is needed in the image. Without a GPU, --device auto trains on the CPU.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore in its own layer: it changes only when a project file or a package version does.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Shared/Shared.csproj src/Shared/
COPY src/Gbdt/Gbdt.csproj src/Gbdt/
COPY src/DataSets/DataSets.csproj src/DataSets/
COPY src/Trainer/Trainer.csproj src/Trainer/
RUN dotnet restore src/Trainer/Trainer.csproj -r linux-x64
COPY src/Shared/ src/Shared/
COPY src/Gbdt/ src/Gbdt/
COPY src/DataSets/ src/DataSets/
COPY src/Trainer/ src/Trainer/
RUN dotnet publish src/Trainer/Trainer.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
# LightGBM's native library (the --algo lightgbm baseline) needs OpenMP's runtime.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# What the NVIDIA container toolkit mounts: the compute driver (libcuda) and nvidia-smi.
ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility DOTNET_gcServer=0
USER $APP_UID
ENTRYPOINT ["dotnet", "Fraud.Streaming.Trainer.dll"]
CMD ["train", "--device", "auto", "--out", "/tmp/model"]
