/**
 * Validation of an eExact XML file against eExact-Schema.xsd with xmllint compiled to WebAssembly.
 * Node only (the gateway's /globe/validate and the tests): kept out of browser bundles, which ask
 * the gateway instead.
 */
import type { GlobeValidation } from './globe';

/** Validates against eExact-Schema.xsd (its text passed in) with xmllint compiled to WebAssembly. */
export async function validateGlobeXml(xml: string, xsd: string): Promise<GlobeValidation> {
  const { validateXML } = await import('xmllint-wasm');
  const result = await validateXML({
    xml: [{ fileName: 'orders.xml', contents: xml }],
    schema: [{ fileName: 'eExact-Schema.xsd', contents: xsd }],
    // A 500-customer file is a few megabytes; let the WebAssembly memory grow past the default.
    maxMemoryPages: 16_384,
  });
  return { valid: result.valid, errors: result.errors.map((e) => ({ line: e.loc?.lineNumber ?? null, message: e.message })) };
}
