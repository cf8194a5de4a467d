using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Security;

/// <summary>
/// Whether the DataProtection key ring is encrypted at rest, for the log and the settings page.
/// It reads the key files themselves, not only the setting: a key file holds either an
/// <c>&lt;encryptedSecret&gt;</c> (encrypted) or a plain <c>&lt;masterKey&gt;</c>. Keys made before a
/// certificate was set stay plain until <see cref="ReprotectExistingKeys"/> re-encrypts them (at start).
/// </summary>
public sealed class KeyRingStatus(string keyRingPath, X509Certificate2? certificate)
{
    public const string UnencryptedWarning =
        "The sign-in key ring in the data folder is not encrypted at rest. Anyone who copies the data folder could forge " +
        "a sign-in cookie (your vault itself stays locked: it needs your password). Set CreatorKeys:DataProtection:CertificatePath " +
        "to a .pfx certificate to encrypt it.";

    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XName RequiresEncryption = DataProtection + "requiresEncryption";
    private static readonly XName EncryptedSecret = DataProtection + "encryptedSecret";

    public string KeyRingPath { get; } = keyRingPath;

    public string? CertificateSubject { get; } = certificate?.Subject;

    /// <summary>How many key files are encrypted and how many are plain, read from the folder now.</summary>
    public KeyRingFiles ReadFiles()
    {
        var encrypted = 0;
        var plain = 0;
        foreach (var path in KeyFiles())
        {
            try
            {
                var key = XElement.Load(path);
                if (PlainSecrets(key).Any())
                {
                    plain++;
                }
                else if (key.Descendants(EncryptedSecret).Any())
                {
                    encrypted++;
                }
            }
            catch (Exception ex) when (ex is IOException or System.Xml.XmlException or UnauthorizedAccessException)
            {
                // Unreadable or half-written: DataProtection will say so itself; it is not counted either way.
            }
        }

        return new KeyRingFiles(encrypted, plain);
    }

    /// <summary>True when no key file holds a plain key, and new keys will be encrypted too (a certificate is set) or every existing one already is.</summary>
    public bool EncryptedAtRest
    {
        get
        {
            var files = ReadFiles();
            return files.Plain == 0 && (certificate is not null || files.Encrypted > 0);
        }
    }

    public string? Warning
    {
        get
        {
            var files = ReadFiles();
            if (files.Plain == 0 && (certificate is not null || files.Encrypted > 0))
            {
                return null;
            }

            return certificate is null
                ? UnencryptedWarning
                : $"{files.Plain} of the sign-in key ring's files in the data folder are still stored unencrypted (they were made before the certificate was set) " +
                  "and could not be re-encrypted with it. Anyone who copies the data folder could forge a sign-in cookie with them. Restart CreatorKeys to try again; " +
                  "if this stays, replace the key ring: stop CreatorKeys, delete the files in the keys folder, and start it again (everyone signs in again, and the mail server password must be typed again).";
        }
    }

    /// <summary>
    /// Encrypts, with the configured certificate, every key file still holding a plain key, the
    /// way DataProtection encrypts a new one; each file is replaced whole (written beside it, then
    /// moved). Returns how many were re-encrypted. Does nothing without a certificate.
    /// </summary>
    public int ReprotectExistingKeys(ILoggerFactory loggerFactory)
    {
        if (certificate is null)
        {
            return 0;
        }

        var encryptor = new CertificateXmlEncryptor(certificate, loggerFactory);
        var count = 0;
        foreach (var path in KeyFiles())
        {
            var key = XElement.Load(path);
            var secrets = PlainSecrets(key).ToList();
            if (secrets.Count == 0)
            {
                continue;
            }

            foreach (var secret in secrets)
            {
                var encrypted = encryptor.Encrypt(new XElement(secret));
                secret.ReplaceWith(new XElement(EncryptedSecret,
                    new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!),
                    encrypted.EncryptedElement));
            }

            var temporary = path + ".tmp";
            key.Save(temporary, SaveOptions.DisableFormatting);
            File.Move(temporary, path, overwrite: true);
            count++;
        }

        return count;
    }

    private IEnumerable<string> KeyFiles() =>
        Directory.Exists(KeyRingPath) ? Directory.EnumerateFiles(KeyRingPath, "key-*.xml") : [];

    /// <summary>Elements DataProtection marks as needing encryption (the master key) that are not inside an encrypted secret.</summary>
    private static IEnumerable<XElement> PlainSecrets(XElement key) =>
        key.Descendants().Where(e => (string?)e.Attribute(RequiresEncryption) == "true" && !e.Ancestors(EncryptedSecret).Any());
}

/// <summary>Key files in the ring: how many hold an encrypted key, and how many a plain one.</summary>
public sealed record KeyRingFiles(int Encrypted, int Plain);
