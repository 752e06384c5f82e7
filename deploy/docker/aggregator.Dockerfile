# The aggregator: docker build -f deploy/docker/aggregator.Dockerfile -t fraud-streaming/aggregator .   (context: repository root)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore in its own layer: it changes only when a project file or a package version does.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Shared/Shared.csproj src/Shared/
COPY src/Aggregator/Aggregator.csproj src/Aggregator/
RUN dotnet restore src/Aggregator/Aggregator.csproj -r linux-x64
COPY src/Shared/ src/Shared/
COPY src/Aggregator/ src/Aggregator/
RUN dotnet publish src/Aggregator/Aggregator.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY deploy/docker/http-ok.sh /usr/local/bin/http-ok
# Listen on every interface (the service's own default is loopback); /metrics, /healthz, /readyz.
ENV ASPNETCORE_URLS=http://+:9403 ASPNETCORE_HTTP_PORTS= DOTNET_gcServer=0
EXPOSE 9403
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["http-ok", "9403", "/healthz"]
ENTRYPOINT ["dotnet", "Fraud.Streaming.Aggregator.dll"]
