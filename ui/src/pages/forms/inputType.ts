import type { Field as FormField } from "../../lib/backend";

/** The HTML input type that suits a field (the preview and the prefill dialog fill them in). */
export function inputType(field: FormField): string {
  switch (field.type) {
    case "EMAIL":
      return "email";
    case "PHONE":
      return "tel";
    case "NUMBER":
      return "number";
    case "DATE":
      return "date";
    default:
      return "text";
  }
}
