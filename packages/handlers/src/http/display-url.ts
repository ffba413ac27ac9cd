/**
 * A URL as it may appear in summaries, messages and logs: origin and path
 * only, since query strings and user info often carry tokens.
 *
 * @example
 * ```ts
 * displayUrl('https://user:pw@api.example.com/health?token=abc'); // 'https://api.example.com/health'
 * ```
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
