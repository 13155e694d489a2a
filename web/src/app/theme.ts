import { createTheme, type CSSVariablesResolver } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "teal",
  // shade 9 keeps white text on filled buttons and links above WCAG AA contrast
  primaryShade: { light: 9, dark: 5 },
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  defaultRadius: "md",
  focusRing: "auto",
  components: {
    Anchor: { defaultProps: { underline: "always" } },
    // the light variant's teal text on teal tint is below 4.5:1
    NavLink: { defaultProps: { variant: "filled" } },
    Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } } },
    Notification: { defaultProps: { closeButtonProps: { "aria-label": "Close notification" } } },
  },
});

/** Mantine's default "dimmed" grey and error red are below 4.5:1 on white; use darker ones. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { "--mantine-color-dimmed": t.colors.gray[7], "--mantine-color-error": t.colors.red[9] },
  dark: { "--mantine-color-dimmed": t.colors.gray[4] },
});
