/**
 * DER schema of the Kakunin scope extension; the normative module is docs/asn1/kakunin-scope.asn in the repository.
 * Context tags tell the optional fields apart; they are EXPLICIT (the module's default) so that generic tools such as
 * `openssl asn1parse` still show the inner IA5String/INTEGER/UTF8String values, at a cost of two bytes per field.
 */
import {
  AsnArray,
  AsnConvert,
  AsnIntegerBigIntConverter,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
} from '@peculiar/asn1-schema';

/**
 * `ScopeList ::= SEQUENCE OF UTF8String`. A named type rather than a `repeated` property: asn1-schema decodes an
 * empty repeated property as absent, which would turn "allows nothing" into "no limit".
 */
@AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnPropTypes.Utf8String })
export class ScopeListAsn extends AsnArray<string> {}

@AsnType({ type: AsnTypeTypes.Sequence })
export class KakuninScopeAsn {
  @AsnProp({ type: AsnPropTypes.PrintableString })
  currency = '';

  @AsnProp({ type: AsnPropTypes.IA5String, context: 0, optional: true })
  maxTransactionSize?: string;

  @AsnProp({ type: ScopeListAsn, context: 1, optional: true })
  allowedCounterparties?: ScopeListAsn;

  @AsnProp({ type: ScopeListAsn, context: 2, optional: true })
  allowedActions?: ScopeListAsn;

  @AsnProp({ type: ScopeListAsn, context: 3, optional: true })
  allowedRegions?: ScopeListAsn;

  @AsnProp({
    type: AsnPropTypes.Integer,
    converter: AsnIntegerBigIntConverter,
    context: 4,
    optional: true,
  })
  maxTransactionsPerHour?: bigint;

  @AsnProp({ type: AsnPropTypes.IA5String, context: 5, optional: true })
  maxDailyVolume?: string;
}

export const serializeScopeAsn = (value: KakuninScopeAsn): Uint8Array<ArrayBuffer> =>
  new Uint8Array(AsnConvert.serialize(value));
export const parseScopeAsn = (der: Uint8Array): KakuninScopeAsn => AsnConvert.parse(der, KakuninScopeAsn);
