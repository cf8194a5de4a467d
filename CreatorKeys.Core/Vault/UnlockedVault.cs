using System.Security.Cryptography;
using System.Text;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// An account's vault key in server memory, with the keys derived from it. It exists only
/// while the creator is signed in; <see cref="Dispose"/> wipes every key, after which any use
/// throws <see cref="VaultLockedException"/>.
/// </summary>
public sealed class UnlockedVault : IDisposable
{
    private readonly byte[] _vaultKey;
    private readonly Dictionary<VaultEnvironment, byte[]> _environmentKeys = [];

    // One AES-GCM cipher per environment, its key expanded once per session rather than per value;
    // used only under _gate (AesGcm instances are not safe for concurrent use).
    private readonly Dictionary<VaultEnvironment, AesGcm> _environmentCiphers = [];
    private readonly Lock _gate = new();
    private byte[]? _fingerprintKey;
    private bool _disposed;

    /// <param name="accountId">The account the vault belongs to; part of every associated-data string.</param>
    /// <param name="vaultKey">The 256-bit vault key. The instance takes ownership and wipes it on dispose.</param>
    public UnlockedVault(string accountId, byte[] vaultKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        if (vaultKey.Length != VaultCrypto.KeyBytes)
        {
            throw new ArgumentException("A vault key is 32 bytes.", nameof(vaultKey));
        }

        AccountId = accountId;
        _vaultKey = vaultKey;
    }

    public string AccountId { get; }

    public bool IsLocked
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    // Every operation below runs under _gate, so Dispose can never wipe a key while it is in use
    // (a value sealed under a half-wiped key would be silently unreadable, or worse, readable).

    /// <summary>Encrypts a key value for one row and environment.</summary>
    public byte[] EncryptValue(Guid keyId, VaultEnvironment environment, string value)
    {
        var plaintext = Encoding.UTF8.GetBytes(value);
        try
        {
            lock (_gate)
            {
                return VaultCrypto.Seal(EnvironmentCipher(environment), plaintext, ValueAssociatedData(keyId, environment));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Decrypts a key value; fails if the blob was altered or belongs to another row or environment.</summary>
    public string DecryptValue(Guid keyId, VaultEnvironment environment, byte[] blob)
    {
        byte[] plaintext;
        lock (_gate)
        {
            plaintext = VaultCrypto.Open(EnvironmentCipher(environment), blob, ValueAssociatedData(keyId, environment));
        }

        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The keyed fingerprint used to spot the same value stored twice.</summary>
    public byte[] Fingerprint(string value)
    {
        lock (_gate)
        {
            ThrowIfLocked();
            _fingerprintKey ??= VaultCrypto.DeriveSubkey(_vaultKey, "creatorkeys/fingerprint");
            return VaultCrypto.Fingerprint(_fingerprintKey, value);
        }
    }

    /// <summary>
    /// Seals the account's authenticator (two-step) key: AES-256-GCM under
    /// <c>HKDF(vaultKey, "creatorkeys/two-step/authenticator")</c>, bound to the account, so the
    /// database alone never holds it readable (docs/decisions/008-two-step-sign-in-and-limits.md).
    /// </summary>
    public byte[] SealAuthenticatorKey(ReadOnlySpan<byte> authenticatorKey)
    {
        lock (_gate)
        {
            ThrowIfLocked();
            var key = VaultCrypto.DeriveSubkey(_vaultKey, AuthenticatorPurpose);
            try
            {
                return VaultCrypto.Seal(key, authenticatorKey, AuthenticatorAssociatedData(AccountId));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    /// <summary>Opens a key sealed by <see cref="SealAuthenticatorKey"/>; throws <see cref="VaultCryptoException"/> when it was changed or belongs to another account.</summary>
    public byte[] OpenAuthenticatorKey(ReadOnlySpan<byte> sealedKey)
    {
        lock (_gate)
        {
            ThrowIfLocked();
            var key = VaultCrypto.DeriveSubkey(_vaultKey, AuthenticatorPurpose);
            try
            {
                return VaultCrypto.Open(key, sealedKey, AuthenticatorAssociatedData(AccountId));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    /// <summary>
    /// Seals a copy of one environment's key (never the vault key) under <paramref name="wrappingKey"/>, for an access
    /// token: whoever holds the token's secret can open that environment's values and nothing else
    /// (docs/decisions/016-access-tokens.md).
    /// </summary>
    public byte[] SealEnvironmentKey(VaultEnvironment environment, ReadOnlySpan<byte> wrappingKey, ReadOnlySpan<byte> associatedData)
    {
        lock (_gate)
        {
            return VaultCrypto.Seal(wrappingKey, EnvironmentKey(environment), associatedData);
        }
    }

    /// <summary>
    /// <see cref="DecryptValueWithEnvironmentKey"/> with a cipher already made from the environment key, for a caller
    /// that decrypts many values with one key (the token API). The caller owns and serialises the cipher.
    /// </summary>
    public static string DecryptValueWithEnvironmentCipher(string accountId, System.Security.Cryptography.AesGcm environmentCipher, Guid keyId, VaultEnvironment environment, byte[] blob)
    {
        var plaintext = VaultCrypto.Open(environmentCipher, blob, ValueAssociatedData(accountId, keyId, environment));
        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Decrypts a value with an environment key opened from an access token, under the same associated data as
    /// <see cref="DecryptValue"/>; throws <see cref="VaultCryptoException"/> when the blob does not belong here.
    /// </summary>
    public static string DecryptValueWithEnvironmentKey(string accountId, ReadOnlySpan<byte> environmentKey, Guid keyId, VaultEnvironment environment, byte[] blob)
    {
        var plaintext = VaultCrypto.Open(environmentKey, blob, ValueAssociatedData(accountId, keyId, environment));
        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Wraps (encrypts) the vault key under a key derived from a password or recovery code.</summary>
    public byte[] WrapVaultKey(byte[] wrappingKey, KeyWrapKind kind)
    {
        lock (_gate)
        {
            ThrowIfLocked();
            return VaultCrypto.Seal(wrappingKey, _vaultKey, WrapAssociatedData(AccountId, kind));
        }
    }

    /// <summary>Wraps the vault key under a key derived from <paramref name="secret"/> (password or recovery code), wiping the derived key afterwards.</summary>
    public byte[] WrapVaultKey(string secret, byte[] salt, int iterations, KeyWrapKind kind)
    {
        var wrappingKey = VaultCrypto.DeriveKeyFromSecret(secret, salt, iterations);
        try
        {
            return WrapVaultKey(wrappingKey, kind);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrappingKey);
        }
    }

    /// <summary>Unwraps a vault key wrapped under <paramref name="secret"/>; throws <see cref="VaultCryptoException"/> when the secret is wrong.</summary>
    public static UnlockedVault Unwrap(string accountId, string secret, byte[] salt, int iterations, byte[] wrappedKey, KeyWrapKind kind)
    {
        var wrappingKey = VaultCrypto.DeriveKeyFromSecret(secret, salt, iterations);
        try
        {
            return Unwrap(accountId, wrappingKey, wrappedKey, kind);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrappingKey);
        }
    }

    /// <summary>Unwraps a vault key; throws <see cref="VaultCryptoException"/> when the wrapping key is wrong.</summary>
    public static UnlockedVault Unwrap(string accountId, byte[] wrappingKey, byte[] wrappedKey, KeyWrapKind kind)
    {
        var vaultKey = VaultCrypto.Open(wrappingKey, wrappedKey, WrapAssociatedData(accountId, kind));
        return new UnlockedVault(accountId, vaultKey);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CryptographicOperations.ZeroMemory(_vaultKey);
            if (_fingerprintKey is not null)
            {
                CryptographicOperations.ZeroMemory(_fingerprintKey);
            }

            foreach (var key in _environmentKeys.Values)
            {
                CryptographicOperations.ZeroMemory(key);
            }

            _environmentKeys.Clear();
            foreach (var cipher in _environmentCiphers.Values)
            {
                cipher.Dispose();
            }

            _environmentCiphers.Clear();
        }
    }

    /// <summary>The environment's key; call only while holding <c>_gate</c>.</summary>
    private byte[] EnvironmentKey(VaultEnvironment environment)
    {
        ThrowIfLocked();
        if (!_environmentKeys.TryGetValue(environment, out var key))
        {
            key = VaultCrypto.DeriveSubkey(_vaultKey, $"creatorkeys/env/{environment.Code()}");
            _environmentKeys[environment] = key;
        }

        return key;
    }

    /// <summary>The environment's cipher, created on first use; call only while holding <c>_gate</c>.</summary>
    private AesGcm EnvironmentCipher(VaultEnvironment environment)
    {
        var key = EnvironmentKey(environment);
        if (!_environmentCiphers.TryGetValue(environment, out var cipher))
        {
            cipher = new AesGcm(key, VaultCrypto.TagBytes);
            _environmentCiphers[environment] = cipher;
        }

        return cipher;
    }

    private void ThrowIfLocked()
    {
        if (_disposed)
        {
            throw new VaultLockedException();
        }
    }

    private byte[] ValueAssociatedData(Guid keyId, VaultEnvironment environment) => ValueAssociatedData(AccountId, keyId, environment);

    private static byte[] ValueAssociatedData(string accountId, Guid keyId, VaultEnvironment environment) =>
        Encoding.UTF8.GetBytes($"creatorkeys/value/v1|{accountId}|{keyId:N}|{environment.Code()}");

    private const string AuthenticatorPurpose = "creatorkeys/two-step/authenticator";

    private static byte[] AuthenticatorAssociatedData(string accountId) =>
        Encoding.UTF8.GetBytes($"creatorkeys/two-step/v1|{accountId}|authenticator");

    private static byte[] WrapAssociatedData(string accountId, KeyWrapKind kind) =>
        Encoding.UTF8.GetBytes($"creatorkeys/wrap/v1|{accountId}|{(kind == KeyWrapKind.Password ? "password" : "recovery")}");
}

/// <summary>What a wrapped copy of the vault key is locked with.</summary>
public enum KeyWrapKind
{
    Password,
    RecoveryCode,
}
