import type { ParameterDefinition } from '@ecmahost/sdk';
import { FieldError } from '../layout.js';
import { Shown } from '../visible-text.js';
import { withoutUrlPassword } from '../../configure/shown-parameters.js';

/** The form field name of a connector parameter (prefixed so it never meets the wizard's own fields). */
export function parameterFieldName(name: string): string {
  return `p.${name}`;
}

/** The field marking that a checkbox was on the page (an unticked box sends nothing). */
export function checkboxMarkerName(name: string): string {
  return `present.${name}`;
}

/**
 * One field of a connector's own parameter page, rendered from its definition: every SDK type, the
 * typed or default value, the help text and the validation message beside it. Secret values are
 * never written into the page; a stored one shows as "unchanged".
 */
export function ParameterField(props: { def: ParameterDefinition; value: string | boolean | undefined; error: string | undefined }) {
  const { def, value, error } = props;
  if (def.type === 'label') return <p class="help label-parameter">
        <Shown text={def.text} />
      </p>;
  if (def.type === 'divider') return <hr />;
  const id = `param-${def.name}`;
  const field = parameterFieldName(def.name);
  const label = def.label ?? def.name;
  const cls = error === undefined ? undefined : 'invalid';
  const required = 'required' in def && def.required === true;
  const help = def.description === undefined ? null : (
      <p class="help">
        <Shown text={def.description} />
      </p>
    );
  // A URL typed with its password is refused (the password belongs in the encrypted field); the form
  // shown again must not carry it back to the browser.
  const text = typeof value === 'string' ? withoutUrlPassword(value) : undefined;
  let control;
  switch (def.type) {
    case 'string':
      control = <input type="text" id={id} name={field} value={text ?? def.default ?? ''} class={cls} autocomplete="off" />;
      break;
    case 'file':
      control = <input type="text" id={id} name={field} value={text ?? def.default ?? ''} class={cls} placeholder="path of a file on the host" autocomplete="off" />;
      break;
    case 'encryptedString':
      control = <input type="password" id={id} name={field} value="" class={cls} placeholder={value !== undefined && value !== '' ? 'unchanged' : ''} autocomplete="new-password" />;
      break;
    case 'text':
      control = (
        <textarea id={id} name={field} class={cls}>
          {text ?? def.default ?? ''}
        </textarea>
      );
      break;
    case 'checkbox': {
      const checked = typeof value === 'boolean' ? value : (def.default ?? false);
      return (
        <div class="field">
          <input type="hidden" name={checkboxMarkerName(def.name)} value="1" />
          <label>
            <input type="checkbox" id={id} name={field} value="true" checked={checked} /> {label}
          </label>
          {help}
          <FieldError id={def.name} message={error} />
        </div>
      );
    }
    case 'dropdown': {
      const current = text ?? def.default ?? def.options[0] ?? '';
      control = def.extensible ? (
        <>
          <input type="text" id={id} name={field} value={current} list={`${id}-options`} class={cls} autocomplete="off" />
          <datalist id={`${id}-options`}>
            {def.options.map((o) => (
              <option value={o} />
            ))}
          </datalist>
        </>
      ) : (
        <select id={id} name={field} class={cls}>
          {def.options.map((o) => (
            <option value={o} selected={o === current}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    }
  }
  return (
    <div class="field">
      <label for={id}>
        <Shown text={label} />
        {required ? ' *' : ''}
      </label>
      {help}
      {control}
      <FieldError id={def.name} message={error} />
    </div>
  );
}
