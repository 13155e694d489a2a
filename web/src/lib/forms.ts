import { ApiError, errorMessage } from "../api/errors";

interface FormWithErrors {
  setErrors: (errors: Record<string, string>) => void;
  values: object;
}

/**
 * Put a 422's `errors[].loc` next to the matching fields; returns the message for what is
 * left (a business refusal's `detail`, or field errors with no input on this form).
 */
export function applyApiErrors(
  form: FormWithErrors,
  error: unknown,
  fieldMap: Record<string, string> = {},
): string | null {
  if (!(error instanceof ApiError)) return errorMessage(error);
  const fieldErrors = error.fieldErrors();
  const known = new Set(Object.keys(form.values));
  const placed: Record<string, string> = {};
  const leftover: string[] = [];
  for (const [loc, msg] of Object.entries(fieldErrors)) {
    const field = fieldMap[loc] ?? loc.replace(/^body\./, "");
    const root = field.split(".")[0] ?? field;
    if (known.has(root)) placed[field] = msg;
    else leftover.push(msg);
  }
  form.setErrors(placed);
  if (Object.keys(fieldErrors).length === 0) return errorMessage(error);
  if (leftover.length > 0) return leftover.join(" ");
  return Object.keys(placed).length > 0 ? null : errorMessage(error);
}
