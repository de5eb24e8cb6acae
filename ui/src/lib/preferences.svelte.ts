// The preferences the backend keeps for the window (its database's settings, so they live with the
// data folder): the UI's language (the backend words desktop notifications in it), whether the
// first-start welcome was seen, and "Ask once more before sending on production".

import { backend, type Preferences, type PreferencesUpdate } from "./backend";

/**
 * The UI's language as a BCP 47 tag: the page's `lang` (the i18n layer sets it), else the
 * system's. What the CSV export's separator and the notifications follow.
 */
export function uiLanguage(): string {
  if (typeof document !== "undefined") {
    const lang = document.documentElement.lang.trim();
    if (lang) return lang;
  }
  if (typeof navigator !== "undefined" && navigator.language) return navigator.language;
  return "en";
}

class PreferencesState {
  /** What the backend answered; null until read (and when it cannot be read). */
  value: Preferences | null = $state.raw(null);
  /** The read has answered (or failed: outside the desktop app there are no preferences). */
  loaded = $state(false);
  /** The welcome is open (on the first start, or again from Settings). */
  welcomeOpen = $state(false);

  /** Reads the preferences and tells the backend the UI's language; opens the welcome once. */
  async load(): Promise<void> {
    try {
      const language = uiLanguage();
      let p = await backend.preferences();
      if (p.language !== language) p = await backend.setPreferences({ language, welcomeSeen: null, confirmProductionSends: null });
      this.value = p;
      this.welcomeOpen = !p.welcomeSeen;
    } catch {
      this.value = null;
    } finally {
      this.loaded = true;
    }
  }

  /** Stores a change; the state follows what the backend answers. */
  async update(change: Partial<PreferencesUpdate>): Promise<void> {
    this.value = await backend.setPreferences({ language: null, welcomeSeen: null, confirmProductionSends: null, ...change });
  }

  /** Closes the welcome and remembers that it was seen (it opens again only from Settings). */
  async closeWelcome(): Promise<void> {
    this.welcomeOpen = false;
    try {
      await this.update({ welcomeSeen: true });
    } catch {
      /* not remembered: it shows again at the next start, which is harmless */
    }
  }

  get confirmProductionSends(): boolean {
    return this.value?.confirmProductionSends ?? false;
  }
}

export const preferences = new PreferencesState();
