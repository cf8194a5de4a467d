using MudBlazor;

namespace CreatorKeys.Web.Components.Layout;

/// <summary>The app's colours: calm, high contrast (WCAG AA for text and controls) in light and dark.</summary>
public static class AppTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3F37C9",
            Secondary = "#B5179E",
            Tertiary = "#0B7A75",
            AppbarBackground = "#2B2D42",
            AppbarText = "#FFFFFF",
            Background = "#F7F7FB",
            DrawerBackground = "#FFFFFF",
            DrawerText = "#2B2D42",
            TextSecondary = "#4A4F63",
            Success = "#15692F",
            Warning = "#8A5300",
            Error = "#B3261E",
            Info = "#1F5FAD",
            ActionDefault = "#3D4152",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#A9A4FF",
            PrimaryContrastText = "#1A1740",
            Secondary = "#F49AD8",
            Tertiary = "#5ED6CF",
            AppbarBackground = "#1B1C29",
            Background = "#12131C",
            Surface = "#1E2030",
            DrawerBackground = "#1B1C29",
            TextPrimary = "#ECEDF5",
            TextSecondary = "#B9BCCC",
            Success = "#6FD08C",
            Warning = "#F2B35B",
            Error = "#FF8A80",
            Info = "#8CB8FF",
            SuccessContrastText = "#0D2414",
            WarningContrastText = "#2B1A00",
            ErrorContrastText = "#2B0000",
            InfoContrastText = "#00183A",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
            // Button text as written ("Add a key"), not Material's ALL CAPS: calmer, and read as words.
            Button =
            {
                TextTransform = "none",
            },
        },
    };
}
