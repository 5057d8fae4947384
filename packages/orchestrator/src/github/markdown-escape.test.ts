// The escaping is checked by rendering with a real CommonMark + GFM renderer (micromark, the
// parser GitHub's own renderer follows) and looking at the HTML it makes.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { mdCode, mdCodeBlock, mdParagraph, mdText } from './markdown-escape.ts';

const render = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
const ZWSP = '\u200b';

const HOSTILE = [
  '<img src=x onerror=alert(1)> <script>alert(1)</script> <a href="https://evil.example">click</a>',
  '[click me](https://evil.example) ![pixel](https://evil.example/p.png) <https://evil.example>',
  'ping @octocat and @github/security-team, mail me at a@b.co',
  'Fixes #12, closes owner/repo#7, resolves GH-3, see https://github.com/o/r/issues/1 and www.evil.example',
  '| a | b |\n|---|---|\n| x | y |',
  '# Heading\n> quote\n- item\n```\ncode\n```',
  '**bold** _em_ ~~gone~~ `code` \\\\ &amp; &lt;b&gt;',
  '<details><summary>x</summary>hidden</details>',
  '[ref]: https://evil.example\n[ref]',
];

/** Text GitHub would turn into a mention, reference or link after rendering. */
function triggers(html: string): string[] {
  const text = html.replace(/<[^>]+>/g, ' ');
  return [...text.matchAll(/(?<![\w`])@[A-Za-z0-9]|#\d|GH-\d|https?:\/\/|www\./gi)].map((m) => m[0]);
}

describe('mdText', () => {
  it('renders hostile text as plain text: no tags, no links, no mentions, no references', () => {
    for (const input of HOSTILE) {
      const html = render(`Reason: ${mdText(input)}`);
      expect(html.replace(/^<p>|<\/p>\n?$/g, ''), input).not.toMatch(/<(?!br)/);
      expect(triggers(html), input).toEqual([]);
    }
  });

  it('keeps the words readable', () => {
    const html = render(mdText('tests_failed: 2 of 5 (see *unit*)'));
    expect(html.replace(new RegExp(ZWSP, 'g'), '').trim()).toBe('<p>tests_failed: 2 of 5 (see *unit*)</p>');
  });

  it('stays one line and stays inside a table cell', () => {
    const table = `| task | reason |\n| --- | --- |\n| t1 | ${mdText('a | b\nc')} |\n`;
    const html = render(table);
    expect(html.match(/<td>/g)).toHaveLength(2);
    expect(html).toContain('<td>a | b c</td>');
  });

  it('removes control and bidi override characters and clips long text', () => {
    expect(mdText('a\u202eb\u0007c')).toBe('abc');
    expect(mdText('x'.repeat(600), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('mdParagraph', () => {
  it('keeps lines apart and renders each as text', () => {
    const html = render(mdParagraph('line one\n<b>two</b> @someone\n\n\n# three'));
    expect(html).not.toMatch(/<(?!br|\/?p>)/);
    expect(triggers(html)).toEqual([]);
    expect(html.replace(new RegExp(ZWSP, 'g'), '')).toContain('line one<br>\n&lt;b&gt;two&lt;/b&gt; @someone<br>\n<br>\n# three');
  });
});

describe('mdCode', () => {
  it('renders as one code span, even with backticks and pipes, inside a table cell', () => {
    for (const input of ['plain', 'has `ticks` and ``double``', '`edge`', 'a | b', '<script>@x #1 https://e.example</script>']) {
      const html = render(`| a |\n| --- |\n| ${mdCode(input)} |\n`);
      expect(html.match(/<td>/g), input).toHaveLength(1);
      expect(html.match(/<code>/g), input).toHaveLength(1);
      const code = /<code>(.*)<\/code>/.exec(html)![1]!;
      expect(code.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&quot;/g, '"').trim(), input).toBe(input);
    }
  });
});

describe('mdCodeBlock', () => {
  it('keeps everything inside one block, whatever fences the text holds', () => {
    const input = 'before\n```\nnot the end\n````\n<img src=x> @octocat #1\nafter';
    const html = render(`${mdCodeBlock(input)}\n\nafter the block`);
    expect(html.match(/<pre>/g)).toHaveLength(1);
    expect(html).toContain('&lt;img src=x&gt; @octocat #1');
    expect(html).toMatch(/<\/pre>\n<p>after the block<\/p>/);
  });
});
