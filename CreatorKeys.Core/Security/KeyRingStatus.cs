using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Security;

/// <summary>
/// Whether the DataProtection key ring is encrypted at rest, for the log and the settings page.
/// It reads the stored keys themselves (files in the data folder, or rows in the database on PostgreSQL), not only the
/// setting: a key holds either an <c>&lt;encryptedSecret&gt;</c> (encrypted) or a plain <c>&lt;masterKey&gt;</c>. Keys
/// made before a certificate was set stay plain until <see cref="ReprotectExistingKeys"/> re-encrypts them (at start).
/// </summary>
public sealed class KeyRingStatus(KeyRingSource source, X509Certificate2? certificate)
{
    public const string UnencryptedWarning =
        "The sign-in key ring in the data folder is not encrypted at rest. Anyone who copies the data folder could forge " +
        "a sign-in cookie (your vault itself stays locked: it needs your password). Set CreatorKeys:DataProtection:CertificatePath " +
        "to a .pfx certificate to encrypt it.";

    public const string UnencryptedInDatabaseWarning =
        "The sign-in key ring in the database is not encrypted at rest. Anyone who copies the database (or a pg_dump of it) could forge " +
        "a sign-in cookie (your vault itself stays locked: it needs your password). Set CreatorKeys:DataProtection:CertificatePath " +
        "to a .pfx certificate, the same one on every instance, to encrypt it.";

    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XName RequiresEncryption = DataProtection + "requiresEncryption";
    private static readonly XName EncryptedSecret = DataProtection + "encryptedSecret";

    /// <summary>The key ring in a folder of files (the default, beside SQLite).</summary>
    public KeyRingStatus(string keyRingPath, X509Certificate2? certificate)
        : this(new KeyRingFolder(keyRingPath), certificate)
    {
    }

    /// <summary>Where the keys are, for the log: the folder, or the database table.</summary>
    public string KeyRingPath => source.Where;

    public string? CertificateSubject { get; } = certificate?.Subject;

    /// <summary>How many key files are encrypted and how many are plain, read from the folder now.</summary>
    public KeyRingFiles ReadFiles()
    {
        var encrypted = 0;
        var plain = 0;
        foreach (var (_, xml) in source.Read())
        {
            try
            {
                var key = XElement.Parse(xml);
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

            if (certificate is null)
            {
                return source.IsDatabase ? UnencryptedInDatabaseWarning : UnencryptedWarning;
            }

            return source.IsDatabase
                ? $"{files.Plain} of the sign-in key ring's keys in the database are still stored unencrypted (they were made before the certificate was set) " +
                  "and could not be re-encrypted with it. Anyone who copies the database could forge a sign-in cookie with them. Restart CreatorKeys to try again."
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
        foreach (var (id, xml) in source.Read())
        {
            var key = XElement.Parse(xml);
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

            source.Replace(id, key);
            count++;
        }

        return count;
    }

    /// <summary>Elements DataProtection marks as needing encryption (the master key) that are not inside an encrypted secret.</summary>
    private static IEnumerable<XElement> PlainSecrets(XElement key) =>
        key.Descendants().Where(e => (string?)e.Attribute(RequiresEncryption) == "true" && !e.Ancestors(EncryptedSecret).Any());
}

/// <summary>Key files in the ring: how many hold an encrypted key, and how many a plain one.</summary>
public sealed record KeyRingFiles(int Encrypted, int Plain);

/// <summary>Where the key ring's keys are stored, read as XML, and replaced one by one when re-encrypted.</summary>
public abstract class KeyRingSource
{
    public abstract string Where { get; }

    public virtual bool IsDatabase => false;

    /// <summary>Every stored key: an id to replace it by, and its XML.</summary>
    public abstract IReadOnlyList<(string Id, string Xml)> Read();

    public abstract void Replace(string id, XElement key);
}

/// <summary>The key ring as files <c>key-*.xml</c> in the data folder's <c>keys</c> folder.</summary>
public sealed class KeyRingFolder(string path) : KeyRingSource
{
    public override string Where => path;

    public override IReadOnlyList<(string Id, string Xml)> Read()
    {
        var keys = new List<(string, string)>();
        foreach (var file in Directory.Exists(path) ? Directory.EnumerateFiles(path, "key-*.xml") : [])
        {
            try
            {
                keys.Add((file, File.ReadAllText(file)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable: DataProtection will say so itself; it is not counted either way.
            }
        }

        return keys;
    }

    /// <summary>Each file is replaced whole (written beside it, then moved).</summary>
    public override void Replace(string id, XElement key)
    {
        var temporary = id + ".tmp";
        key.Save(temporary, SaveOptions.DisableFormatting);
        File.Move(temporary, id, overwrite: true);
    }
}
