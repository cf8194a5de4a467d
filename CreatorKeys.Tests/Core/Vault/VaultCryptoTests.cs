using System.Security.Cryptography;
using System.Text;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

public sealed class VaultCryptoTests
{
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("row-1|PROD");

    [Fact]
    public void Seal_ThenOpen_ReturnsPlaintext()
    {
        var key = VaultCrypto.NewKey();
        var plaintext = Encoding.UTF8.GetBytes("sk-proj-abc123");

        var blob = VaultCrypto.Seal(key, plaintext, Aad);

        Assert.Equal(plaintext, VaultCrypto.Open(key, blob, Aad));
    }

    [Fact]
    public void Seal_SameInputTwice_UsesFreshNonceEachTime()
    {
        var key = VaultCrypto.NewKey();
        var plaintext = Encoding.UTF8.GetBytes("same value");

        var first = VaultCrypto.Seal(key, plaintext, Aad);
        var second = VaultCrypto.Seal(key, plaintext, Aad);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.AsSpan(1, VaultCrypto.NonceBytes).ToArray(), second.AsSpan(1, VaultCrypto.NonceBytes).ToArray());
    }

    [Fact]
    public void Seal_Always_StartsWithFormatVersion()
    {
        var blob = VaultCrypto.Seal(VaultCrypto.NewKey(), [1, 2, 3], Aad);

        Assert.Equal(VaultCrypto.BlobVersion, blob[0]);
        Assert.Equal(1 + VaultCrypto.NonceBytes + VaultCrypto.TagBytes + 3, blob.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(30)]
    public void Open_AnyBitFlipped_ThrowsClearError(int byteIndex)
    {
        var key = VaultCrypto.NewKey();
        var blob = VaultCrypto.Seal(key, Encoding.UTF8.GetBytes("sk-live-0123456789"), Aad);
        blob[byteIndex] ^= 0x01;

        var error = Assert.Throws<VaultCryptoException>(() => VaultCrypto.Open(key, blob, Aad));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Open_WrongAssociatedData_Throws()
    {
        var key = VaultCrypto.NewKey();
        var blob = VaultCrypto.Seal(key, [42], Aad);

        Assert.Throws<VaultCryptoException>(() => VaultCrypto.Open(key, blob, Encoding.UTF8.GetBytes("row-2|PROD")));
    }

    [Fact]
    public void Open_WrongKey_Throws()
    {
        var blob = VaultCrypto.Seal(VaultCrypto.NewKey(), [42], Aad);

        Assert.Throws<VaultCryptoException>(() => VaultCrypto.Open(VaultCrypto.NewKey(), blob, Aad));
    }

    [Fact]
    public void Open_TruncatedBlob_ThrowsDamagedMessage()
    {
        var error = Assert.Throws<VaultCryptoException>(() => VaultCrypto.Open(VaultCrypto.NewKey(), new byte[10], Aad));

        Assert.Contains("damaged", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Open_UnknownFormatVersion_SaysWhichFormat()
    {
        var key = VaultCrypto.NewKey();
        var blob = VaultCrypto.Seal(key, [42], Aad);
        blob[0] = 9;

        var error = Assert.Throws<VaultCryptoException>(() => VaultCrypto.Open(key, blob, Aad));

        Assert.Contains("format 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeriveKeyFromSecret_MatchesPbkdf2HmacSha256()
    {
        var salt = VaultCrypto.NewSalt();

        var derived = VaultCrypto.DeriveKeyFromSecret("pässword", salt, 1000);

        Assert.Equal(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("pässword"), salt, 1000, HashAlgorithmName.SHA256, 32), derived);
    }

    [Fact]
    public void DeriveKeyFromSecret_DifferentSaltOrSecret_GivesDifferentKeys()
    {
        var salt = VaultCrypto.NewSalt();
        var baseline = VaultCrypto.DeriveKeyFromSecret("password one", salt, 1000);

        Assert.NotEqual(baseline, VaultCrypto.DeriveKeyFromSecret("password two", salt, 1000));
        Assert.NotEqual(baseline, VaultCrypto.DeriveKeyFromSecret("password one", VaultCrypto.NewSalt(), 1000));
    }

    [Fact]
    public void DeriveSubkey_MatchesHkdfSha256WithPurposeAsInfo()
    {
        var vaultKey = VaultCrypto.NewKey();

        var subkey = VaultCrypto.DeriveSubkey(vaultKey, "creatorkeys/env/PROD");

        Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, vaultKey, 32, [], Encoding.UTF8.GetBytes("creatorkeys/env/PROD")), subkey);
        Assert.NotEqual(subkey, VaultCrypto.DeriveSubkey(vaultKey, "creatorkeys/env/DEV"));
    }

    [Fact]
    public void Fingerprint_IsKeyedHmac()
    {
        var keyA = VaultCrypto.NewKey();
        var keyB = VaultCrypto.NewKey();

        Assert.Equal(VaultCrypto.Fingerprint(keyA, "sk-1"), VaultCrypto.Fingerprint(keyA, "sk-1"));
        Assert.NotEqual(VaultCrypto.Fingerprint(keyA, "sk-1"), VaultCrypto.Fingerprint(keyA, "sk-2"));
        Assert.NotEqual(VaultCrypto.Fingerprint(keyA, "sk-1"), VaultCrypto.Fingerprint(keyB, "sk-1"));
        Assert.Equal(HMACSHA256.HashData(keyA, Encoding.UTF8.GetBytes("sk-1")), VaultCrypto.Fingerprint(keyA, "sk-1"));
    }
}
