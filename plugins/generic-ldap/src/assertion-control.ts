import { BerWriter, Control, EqualityFilter } from 'ldapts';
import { OID } from './root-dse.js';

/**
 * The LDAP Assertion control (RFC 4528) with an equality assertion: the server applies the
 * operation only when the entry matches, else answers assertionFailed (122). Critical, so a server
 * that does not know it refuses the operation instead of ignoring the condition.
 */
export class AssertionControl extends Control {
  readonly #filter: EqualityFilter;

  constructor(attribute: string, value: string | Buffer) {
    super(OID.assertion, { critical: true });
    // Built from the value rather than parsed from filter text: no escaping to get wrong.
    this.#filter = new EqualityFilter({ attribute, value });
  }

  protected override writeControl(writer: BerWriter): void {
    // controlValue: the BER encoding of the Filter (RFC 4528 §3), as an OCTET STRING.
    const value = new BerWriter();
    this.#filter.write(value);
    writer.writeBuffer(value.buffer, 0x04);
  }
}
