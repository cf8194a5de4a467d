using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

public sealed class UnlockedVaultTests
{
    private const string AccountId = "account-a";

    public static TheoryData<VaultEnvironment> Environments => [VaultEnvironment.Dev, VaultEnvironment.Staging, VaultEnvironment.Prod];

    [Theory]
    [MemberData(nameof(Environments))]
    public void EncryptValue_ThenDecrypt_RoundTripsInEveryEnvironment(VaultEnvironment environment)
    {
        using var vault = new UnlockedVault(AccountId, VaultCrypto.NewKey());
        var keyId = Guid.NewGuid();
        const string value = "sk-ant-api03-ÄÖÜ-🔑-0123456789abcdef";

        var blob = vault.EncryptValue(keyId, environment, value);

        Assert.Equal(value, vault.DecryptValue(keyId, environment, blob));
    }

    [Fact]
    public void DecryptValue_BlobMovedToAnotherEnvironment_Fails()
    {
        using var vault = new UnlockedVault(AccountId, VaultCrypto.NewKey());
        var keyId = Guid.NewGuid();
        var blob = vault.EncryptValue(keyId, VaultEnvironment.Prod, "sk-prod-value");

        Assert.Throws<VaultCryptoException>(() => vault.DecryptValue(keyId, VaultEnvironment.Dev, blob));
        Assert.Throws<VaultCryptoException>(() => vault.DecryptValue(keyId, VaultEnvironment.Staging, blob));
    }

    [Fact]
    public void DecryptValue_BlobMovedToAnotherRow_Fails()
    {
        using var vault = new UnlockedVault(AccountId, VaultCrypto.NewKey());
        var blob = vault.EncryptValue(Guid.NewGuid(), VaultEnvironment.Prod, "sk-prod-value");

        Assert.Throws<VaultCryptoException>(() => vault.DecryptValue(Guid.NewGuid(), VaultEnvironment.Prod, blob));
    }

    [Fact]
    public void DecryptValue_BlobMovedToAnotherAccountWithSameVaultKey_Fails()
    {
        var key = VaultCrypto.NewKey();
        using var owner = new UnlockedVault(AccountId, (byte[])key.Clone());
        using var other = new UnlockedVault("account-b", (byte[])key.Clone());
        var keyId = Guid.NewGuid();
        var blob = owner.EncryptValue(keyId, VaultEnvironment.Prod, "sk-prod-value");

        Assert.Throws<VaultCryptoException>(() => other.DecryptValue(keyId, VaultEnvironment.Prod, blob));
    }

    [Fact]
    public void EnvironmentKeys_AreIndependent_DevKeyCannotOpenProdValue()
    {
        var key = VaultCrypto.NewKey();
        var prodKey = VaultCrypto.DeriveSubkey(key, "creatorkeys/env/PROD");
        var devKey = VaultCrypto.DeriveSubkey(key, "creatorkeys/env/DEV");
        using var vault = new UnlockedVault(AccountId, key);
        var keyId = Guid.NewGuid();
        var blob = vault.EncryptValue(keyId, VaultEnvironment.Prod, "sk-prod-value");
        var aad = System.Text.Encoding.UTF8.GetBytes($"creatorkeys/value/v1|{AccountId}|{keyId:N}|PROD");

        Assert.Equal("sk-prod-value"u8.ToArray(), VaultCrypto.Open(prodKey, blob, aad));
        Assert.Throws<VaultCryptoException>(() => VaultCrypto.Open(devKey, blob, aad));
    }

    [Fact]
    public void WrapVaultKey_ThenUnwrapWithSameKey_GivesAWorkingVault()
    {
        var wrappingKey = VaultCrypto.NewKey();
        using var vault = new UnlockedVault(AccountId, VaultCrypto.NewKey());
        var keyId = Guid.NewGuid();
        var blob = vault.EncryptValue(keyId, VaultEnvironment.Dev, "sk-dev-value");

        var wrapped = vault.WrapVaultKey(wrappingKey, KeyWrapKind.Password);
        using var unwrapped = UnlockedVault.Unwrap(AccountId, wrappingKey, wrapped, KeyWrapKind.Password);

        Assert.Equal("sk-dev-value", unwrapped.DecryptValue(keyId, VaultEnvironment.Dev, blob));
    }

    [Fact]
    public void Unwrap_WrongWrappingKeyOrKind_Throws()
    {
        var wrappingKey = VaultCrypto.NewKey();
        using var vault = new UnlockedVault(AccountId, VaultCrypto.NewKey());
        var wrapped = vault.WrapVaultKey(wrappingKey, KeyWrapKind.Password);

        Assert.Throws<VaultCryptoException>(() => UnlockedVault.Unwrap(AccountId, VaultCrypto.NewKey(), wrapped, KeyWrapKind.Password));
        Assert.Throws<VaultCryptoException>(() => UnlockedVault.Unwrap(AccountId, wrappingKey, wrapped, KeyWrapKind.RecoveryCode));
        Assert.Throws<VaultCryptoException>(() => UnlockedVault.Unwrap("account-b", wrappingKey, wrapped, KeyWrapKind.Password));
    }

    [Fact]
    public void Dispose_ThenAnyUse_ThrowsVaultLocked()
    {
        var vault = new UnlockedVault(AccountId, VaultCrypto.NewKey());
        var keyId = Guid.NewGuid();
        var blob = vault.EncryptValue(keyId, VaultEnvironment.Prod, "sk-prod-value");

        vault.Dispose();

        Assert.True(vault.IsLocked);
        Assert.Throws<VaultLockedException>(() => vault.DecryptValue(keyId, VaultEnvironment.Prod, blob));
        Assert.Throws<VaultLockedException>(() => vault.EncryptValue(keyId, VaultEnvironment.Prod, "x"));
        Assert.Throws<VaultLockedException>(() => vault.Fingerprint("x"));
        Assert.Throws<VaultLockedException>(() => vault.WrapVaultKey(VaultCrypto.NewKey(), KeyWrapKind.Password));
    }

    [Fact]
    public void Dispose_WipesTheVaultKeyBytes()
    {
        var key = VaultCrypto.NewKey();
        var vault = new UnlockedVault(AccountId, key);
        vault.EncryptValue(Guid.NewGuid(), VaultEnvironment.Prod, "x");

        vault.Dispose();

        Assert.All(key, b => Assert.Equal(0, b));
    }
}
