using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Benchmarks.Micro;

/// <summary>
/// Encrypt + decrypt of one key value through the vault (<see cref="UnlockedVault"/>: per-environment
/// key, associated data, versioned blob, UTF-8 in and out) against raw <see cref="AesGcm"/> on the
/// same bytes with a cached key and a fresh nonce: the physical limit.
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks : IDisposable
{
    private const string Value = "sk-proj-Q9vLx2T8mN4pR7sK1wZ5yB3cD6fG0hJ8kL2mN4pQ6rS8tU0vW2xY4zA1b";
    private readonly Guid _keyId = Guid.NewGuid();
    private readonly byte[] _nonce = new byte[VaultCrypto.NonceBytes];
    private readonly byte[] _tag = new byte[VaultCrypto.TagBytes];
    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];
    private byte[] _decrypted = [];
    private byte[] _associatedData = [];
    private AesGcm _aes = default!;
    private UnlockedVault _vault = default!;

    [GlobalSetup]
    public void Setup()
    {
        _plaintext = Encoding.UTF8.GetBytes(Value);
        _ciphertext = new byte[_plaintext.Length];
        _decrypted = new byte[_plaintext.Length];
        _associatedData = Encoding.UTF8.GetBytes($"creatorkeys/value/v1|account|{_keyId}|PROD");
        _aes = new AesGcm(VaultCrypto.NewKey(), VaultCrypto.TagBytes);
        _vault = new UnlockedVault("benchmark-account", VaultCrypto.NewKey());
        // Derive the environment key once, as a signed-in session has.
        _vault.DecryptValue(_keyId, VaultEnvironment.Prod, _vault.EncryptValue(_keyId, VaultEnvironment.Prod, Value));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aes?.Dispose();
        _vault?.Dispose();
    }

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "raw AesGcm, cached key")]
    public byte RawAesGcm()
    {
        RandomNumberGenerator.Fill(_nonce);
        _aes.Encrypt(_nonce, _plaintext, _ciphertext, _tag, _associatedData);
        _aes.Decrypt(_nonce, _ciphertext, _tag, _decrypted, _associatedData);
        return _decrypted[0];
    }

    [Benchmark(Description = "vault encrypt + decrypt")]
    public int VaultEncryptDecrypt()
    {
        var blob = _vault.EncryptValue(_keyId, VaultEnvironment.Prod, Value);
        return _vault.DecryptValue(_keyId, VaultEnvironment.Prod, blob).Length;
    }
}
