// Turning a failed command into what a form shows: the message beside the field it names, or in
// the form's general error box when no field of this form matches.
import { IpcError } from "../ipc/core";

export type FormErrors = {
  /** Messages keyed by the DOM id of the input they belong to. */
  fields: Record<string, string>;
  general: string | null;
};

export const noErrors = (): FormErrors => ({ fields: {}, general: null });

/** `inputId` maps a Rust field name to this form's input id, or undefined if the form has none. */
export function toFormErrors(e: unknown, inputId: (field: string) => string | undefined): FormErrors {
  const err = IpcError.from(e);
  const id = err.field === null ? undefined : inputId(err.field);
  return id === undefined ? { fields: {}, general: err.message } : { fields: { [id]: err.message }, general: null };
}

/** Puts keyboard focus on the first field that has an error, so the person lands on it. */
export function focusFirstError(errors: FormErrors): void {
  const first = Object.keys(errors.fields)[0];
  if (first) document.getElementById(first)?.focus();
}

/** What `Field` hands its control so the label, hint and error are announced with it. */
export type ControlAttrs = {
  "aria-describedby": string | undefined;
  "aria-invalid": true | undefined;
  "aria-required": true | undefined;
};
