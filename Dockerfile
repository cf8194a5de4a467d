# syntax=docker/dockerfile:1
# CreatorKeys: build with the .NET SDK, run on the smaller ASP.NET runtime as a non-root user.
#   docker build -t creatorkeys .
#   docker run -d --name creatorkeys -p 127.0.0.1:8080:8080 -v creatorkeys-data:/data creatorkeys
#   docker logs creatorkeys    (the one-time setup code the first sign-up asks for)
# Publish on 127.0.0.1 unless a reverse proxy with HTTPS stands in front (see the README).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The machine type the image is for (set by BuildKit; amd64 without it): the publish is precompiled for it (ReadyToRun),
# which takes about 40% of the start-up's work away.
ARG TARGETARCH=amd64
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY CreatorKeys.Core/CreatorKeys.Core.csproj CreatorKeys.Core/
COPY CreatorKeys.Web/CreatorKeys.Web.csproj CreatorKeys.Web/
COPY CreatorKeys.Data.PostgreSql/CreatorKeys.Data.PostgreSql.csproj CreatorKeys.Data.PostgreSql/
RUN dotnet restore CreatorKeys.Web/CreatorKeys.Web.csproj -a $TARGETARCH
COPY CreatorKeys.Core/ CreatorKeys.Core/
COPY CreatorKeys.Web/ CreatorKeys.Web/
COPY CreatorKeys.Data.PostgreSql/ CreatorKeys.Data.PostgreSql/
RUN dotnet publish CreatorKeys.Web/CreatorKeys.Web.csproj -c Release -a $TARGETARCH --self-contained false -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Everything the app writes (database, key ring, mail outbox) goes to /data, owned by the
# image's non-root "app" user. Settings can be overridden with environment variables,
# e.g. -e CreatorKeys__Vault__AutoLockMinutes=10.
RUN mkdir -p /data && chown app:app /data
ENV CreatorKeys__DataFolder=/data \
    CreatorKeys__Email__BaseAddress=http://localhost:8080 \
    Urls=http://0.0.0.0:8080 \
    ASPNETCORE_ENVIRONMENT=Production
USER app
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/CreatorKeys.Web.dll", "--health-check"]
ENTRYPOINT ["dotnet", "/app/CreatorKeys.Web.dll"]
