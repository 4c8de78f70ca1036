import * as p from '@clack/prompts';
import type { ParameterDefinition } from '@ecmahost/sdk';
import { OpsError } from '../store/errors.js';
import type { Choice, Prompter } from './prompter.js';

function answered<T>(value: T): Exclude<T, symbol> {
  if (p.isCancel(value)) throw new OpsError('invalid-argument', 'cancelled: nothing was changed.');
  // Only clack's cancel symbol is a symbol among the answers; it was handled above.
  return value as Exclude<T, symbol>;
}

const OTHER = Symbol('other');

/** The interactive {@link Prompter}: @clack/prompts on the terminal. */
export function createClackPrompter(): Prompter {
  return {
    async parameter(def: ParameterDefinition, current) {
      const message = `${def.label ?? def.name}${'required' in def && def.required ? '' : ' (optional)'}${def.description ? ` — ${def.description}` : ''}`;
      switch (def.type) {
        case 'checkbox':
          return answered(await p.confirm({ message, initialValue: typeof current === 'boolean' ? current : (def.default ?? false) }));
        case 'encryptedString': {
          // Asked again (a page refused as a whole): empty keeps what was typed, which is never shown.
          if (typeof current === 'string' && current !== '') return answered(await p.password({ message: `${message} (empty keeps the value typed before)` })) || current;
          return answered(await p.password({ message }));
        }
        case 'dropdown': {
          const options: { value: string | typeof OTHER; label: string }[] = def.options.map((o) => ({ value: o, label: o }));
          if (def.extensible) options.push({ value: OTHER, label: 'Other...' });
          const initial = typeof current === 'string' && def.options.includes(current) ? current : def.default;
          const choice = await p.select<string | typeof OTHER>(initial === undefined ? { message, options } : { message, options, initialValue: initial });
          if (typeof choice === 'string') return choice;
          if (choice !== OTHER) return answered(choice);
          return answered(await p.text({ message: `${def.label ?? def.name} (other value)` }));
        }
        case 'label':
        case 'divider':
          return '';
        default: {
          const initial = typeof current === 'string' ? current : 'default' in def && def.default !== undefined ? def.default : undefined;
          return answered(await p.text(initial === undefined ? { message } : { message, initialValue: initial }));
        }
      }
    },
    async select<T>(message: string, choices: readonly Choice<T>[], initial?: T) {
      const options = choices.map((c) => ({ value: c.value, label: c.label, ...(c.hint === undefined ? {} : { hint: c.hint }) }));
      // clack's option type is conditional on T; the mapped choices have exactly its shape.
      return answered(await p.select<T>({ message, options: options as never, ...(initial === undefined ? {} : { initialValue: initial }) }));
    },
    async multiselect<T>(message: string, choices: readonly Choice<T>[], initial: readonly T[], required = true) {
      const options = choices.map((c) => ({ value: c.value, label: c.label, ...(c.hint === undefined ? {} : { hint: c.hint }) }));
      return answered(await p.multiselect<T>({ message, options: options as never, initialValues: initial, required }));
    },
    async text(message, options = {}) {
      const opts: Parameters<typeof p.text>[0] = { message };
      if (options.initial !== undefined) opts.initialValue = options.initial;
      if (options.placeholder !== undefined) opts.placeholder = options.placeholder;
      if (options.validate !== undefined) {
        const check = options.validate;
        opts.validate = (value) => check(value ?? '');
      }
      return answered(await p.text(opts));
    },
    async confirm(message, initial) {
      return answered(await p.confirm({ message, initialValue: initial }));
    },
    note(message) {
      p.log.info(message);
    },
    error(message) {
      p.log.error(message);
    },
  };
}
