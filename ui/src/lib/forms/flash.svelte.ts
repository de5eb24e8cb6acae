// A one-time message carried across a navigation ("Form created in Penneo as a DRAFT"), shown by
// the page that opens next and then cleared.
export const flash: { text: string | null } = $state({ text: null });

export function takeFlash(): string | null {
  const t = flash.text;
  flash.text = null;
  return t;
}
