using Microsoft.AspNetCore.Identity;
using Zxcvbn.Matcher;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// How hard a password is to guess, from zxcvbn (the estimator Dropbox and Bitwarden use): it
/// knows common passwords, words, names, keyboard rows, repeats, sequences and dates, and counts
/// the account's own email and the app's name as easy guesses. Scores run 0–4; below
/// <see cref="MinimumScore"/> a password is refused at sign-up, change and recovery, with
/// plain-language advice (decision 013).
/// </summary>
/// <remarks>
/// The zxcvbn-core package served here is the 1.x port, which scores but gives no feedback
/// text; <see cref="Evaluate"/> words the warning and suggestions from its matches the way
/// zxcvbn's own feedback does.
/// </remarks>
public static class PasswordStrength
{
    public const int MinimumScore = 3;

    /// <summary>Only the first characters are estimated: zxcvbn slows sharply on long input, and a prefix that is strong already makes the whole strong.</summary>
    public const int EstimatedLength = 64;

    public const string AppName = "creatorkeys";

    // The estimator loads its word lists once; its matching is not documented as thread-safe.
    private static readonly Lock Gate = new();
    private static Zxcvbn.Zxcvbn? _estimator;

    /// <summary>Scores <paramref name="password"/>, treating <paramref name="userInputs"/> (the email, say) and the app's name as known words.</summary>
    public static PasswordStrengthResult Evaluate(string password, IEnumerable<string?> userInputs)
    {
        if (string.IsNullOrEmpty(password))
        {
            return new PasswordStrengthResult(0, null, ["Use a few unrelated words, like “orbit tulip anchor velvet”."]);
        }

        var inputs = UserWords(userInputs).ToList();
        var estimated = password.Length > EstimatedLength ? password[..EstimatedLength] : password;
        Zxcvbn.Result result;
        lock (Gate)
        {
            _estimator ??= new Zxcvbn.Zxcvbn();
            result = _estimator.EvaluatePassword(estimated, inputs);
        }

        var score = Math.Clamp(result.Score, 0, 4);
        if (score >= MinimumScore)
        {
            return new PasswordStrengthResult(score, null, []);
        }

        var (warning, suggestions) = Feedback(result.MatchSequence ?? []);
        return new PasswordStrengthResult(score, warning, suggestions);
    }

    /// <summary>The account's email, its parts, and the app's name: words an attacker tries first.</summary>
    private static IEnumerable<string> UserWords(IEnumerable<string?> userInputs)
    {
        yield return AppName;
        foreach (var input in userInputs)
        {
            if (string.IsNullOrWhiteSpace(input))
            {
                continue;
            }

            var text = input.Trim().ToLowerInvariant();
            yield return text;
            foreach (var part in text.Split(['@', '.', '_', '-', '+', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Length >= 3)
                {
                    yield return part;
                }
            }
        }
    }

    private static (string? Warning, IReadOnlyList<string> Suggestions) Feedback(IList<Zxcvbn.Match> matches)
    {
        const string AddWords = "Add another word or two: uncommon words are better.";
        var real = matches.Where(m => m.Pattern != "bruteforce").ToList();
        if (real.Count == 0)
        {
            return (null, ["Use a few unrelated words, like “orbit tulip anchor velvet”.", "No need for symbols, digits or capital letters."]);
        }

        var longest = real.OrderByDescending(m => m.Token?.Length ?? 0).First();
        var alone = matches.Count == 1;
        var suggestions = new List<string> { AddWords };
        string? warning = longest switch
        {
            DictionaryMatch { DictionaryName: "user_inputs" } =>
                "Your email address and the name CreatorKeys are among the first things someone would try.",
            DictionaryMatch { DictionaryName: "passwords" } d when alone && d is not L33tDictionaryMatch =>
                d.Rank <= 10 ? "This is one of the 10 most common passwords."
                : d.Rank <= 100 ? "This is one of the 100 most common passwords."
                : "This is a very common password.",
            DictionaryMatch { DictionaryName: "passwords" } => "This is similar to a commonly used password.",
            DictionaryMatch { DictionaryName: "surnames" or "male_names" or "female_names" } =>
                alone ? "Names and surnames by themselves are easy to guess." : "Common names and surnames are easy to guess.",
            DictionaryMatch when alone => "A word by itself is easy to guess.",
            DictionaryMatch => null,
            SpatialMatch => "Rows of keys that sit next to each other (like qwerty or asdf) are easy to guess.",
            RepeatMatch => "Repeats like “aaa” or “abcabcabc” are easy to guess.",
            SequenceMatch => "Sequences like “abc” or “6543” are easy to guess.",
            _ when longest.Pattern is "date" or "year" or "digits" => "Dates and years are easy to guess.",
            _ => null,
        };

        if (longest is SpatialMatch)
        {
            suggestions.Add("Use a longer keyboard pattern with more turns, or better, a few words.");
        }
        else if (longest is RepeatMatch)
        {
            suggestions.Add("Avoid repeated words and characters.");
        }
        else if (longest is SequenceMatch)
        {
            suggestions.Add("Avoid sequences.");
        }
        else if (longest.Pattern is "date" or "year" or "digits")
        {
            suggestions.Add("Avoid dates and years that are linked to you.");
        }

        if (real.OfType<L33tDictionaryMatch>().Any())
        {
            suggestions.Add("Swapping letters for look-alikes (like @ for a, 0 for o) does not help much.");
        }

        if (real.OfType<DictionaryMatch>().Any(d => d.Token is { Length: > 1 } t && char.IsUpper(t[0]) && t[1..].All(c => !char.IsUpper(c))))
        {
            suggestions.Add("A capital first letter does not help much.");
        }

        return (warning, suggestions);
    }
}

/// <summary>A password's zxcvbn score (0–4) and, when it is too weak, what is wrong and what would help.</summary>
public sealed record PasswordStrengthResult(int Score, string? Warning, IReadOnlyList<string> Suggestions)
{
    public bool IsStrongEnough => Score >= PasswordStrength.MinimumScore;

    /// <summary>One or two words for the meter.</summary>
    public string Label => Score switch
    {
        0 => "Very weak",
        1 => "Weak",
        2 => "Fair",
        3 => "Strong",
        _ => "Very strong",
    };

    /// <summary>The sentence shown under the field when the password is refused; never contains the password.</summary>
    public string Message => string.Join(" ", new[] { "This password is too easy to guess.", Warning }.Concat(Suggestions).Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>Identity's hook: refuses a password zxcvbn scores below 3, with its advice as the message.</summary>
public sealed class StrongPasswordValidator : IPasswordValidator<Account>
{
    public const string ErrorCode = "PasswordTooEasyToGuess";

    public Task<IdentityResult> ValidateAsync(UserManager<Account> manager, Account user, string? password)
    {
        var strength = PasswordStrength.Evaluate(password ?? "", [user.Email, user.UserName]);
        return Task.FromResult(strength.IsStrongEnough
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = ErrorCode, Description = strength.Message }));
    }
}
