/**
 * Text shapes that make backtracking regexes explode: long runs of separators, digits, quotes. Shared
 * by the property test (which guards against catastrophic backtracking) and bench/eval.ts (which
 * measures the 50 ms budget per 100,000 characters).
 */
export const ADVERSARIAL_TEXT: Readonly<Record<string, string>> = {
  "repeated separators": " .,;:-/\\|".repeat(12_000),
  digits: "1234567890".repeat(10_000),
  "digit groups": "123 456 7890 ".repeat(8_000),
  "nested quotes": "\"'“‘«\"'".repeat(15_000),
  "almost e-mails": `${"a.b-c_d+".repeat(12_000)}@`,
  "almost citations": "Smith v. Jones, 12 U.S. ".repeat(4_500),
  "almost doses": "acetaminophen 1000 mg every ".repeat(3_800),
  whitespace: " \t\n".repeat(33_000),
  "capitalised words": "Mr Ann Lee Street ".repeat(6_000),
};

export const ADVERSARIAL_CHARS = 100_000;
