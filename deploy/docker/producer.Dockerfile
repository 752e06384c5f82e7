# The producer: docker build -f deploy/docker/producer.Dockerfile -t fraud-streaming/producer .   (context: repository root)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore in its own layer: it changes only when a project file or a package version does.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Shared/Shared.csproj src/Shared/
COPY src/DataSets/DataSets.csproj src/DataSets/
COPY src/Producer/Producer.csproj src/Producer/
RUN dotnet restore src/Producer/Producer.csproj -r linux-x64
COPY src/Shared/ src/Shared/
COPY src/DataSets/ src/DataSets/
COPY src/Producer/ src/Producer/
RUN dotnet publish src/Producer/Producer.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_gcServer=0
USER $APP_UID
ENTRYPOINT ["dotnet", "Fraud.Streaming.Producer.dll"]
CMD ["synthetic", "--rate", "200", "--duration-seconds", "86400"]
