using Microsoft.AspNetCore.Components.Forms;

namespace CreatorKeys.Web.Components.Pages.Accounts;

/// <summary>Puts messages from the server next to the form fields they belong to.</summary>
internal static class ServerErrors
{
    /// <summary>Adds each field's message to the edit context; returns the message for the form as a whole, if any.</summary>
    public static string? Show(EditContext editContext, ValidationMessageStore store, object model, IReadOnlyDictionary<string, string> errors)
    {
        store.Clear();
        string? formError = null;
        foreach (var (field, message) in errors)
        {
            if (field.Length == 0 || model.GetType().GetProperty(field) is null)
            {
                formError = formError is null ? message : $"{formError} {message}";
                continue;
            }

            store.Add(new FieldIdentifier(model, field), message);
        }

        editContext.NotifyValidationStateChanged();
        return formError;
    }
}
