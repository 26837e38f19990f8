import { describe, expect, it } from 'vitest';
import { isOrphanLine, kinsokuViolations, type LineText } from '../src/print/kinsoku.js';

function lines(...texts: string[]): LineText[] {
  return texts.map((text, line) => ({ line, text, last: line === texts.length - 1 }));
}

describe('kinsoku rules', () => {
  it('finds a line that starts with closing punctuation', () => {
    const found = kinsokuViolations(lines('工会组织是党联系广大职工群众的桥梁和纽带', '，要始终走在时代前列。'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'line-start', char: '，' });
  });

  it('finds a line that ends with opening punctuation', () => {
    const found = kinsokuViolations(lines('争当贯彻党的群众路线的“', '领头雁”。'));
    expect(found.map((violation) => [violation.rule, violation.char])).toEqual([['line-end', '“']]);
  });

  it('lets a paragraph start with a dash and end with anything', () => {
    expect(kinsokuViolations(lines('——市委党的群团工作会议在首都', '企业工会引起强烈反响（'))).toEqual([]);
  });

  it('passes lines that keep the rules', () => {
    expect(kinsokuViolations(lines('“工会组织要走在时代前列，关键', '是要始终坚持围绕中心服务大局。”'))).toEqual([]);
  });
});

describe('孤字 last lines', () => {
  it('counts a last line of one character and its stop as an orphan', () => {
    expect(isOrphanLine(lines('要进一步开展职工小家的创建活', '动。').at(-1)!)).toBe(true);
  });

  it('accepts a last line with two characters', () => {
    expect(isOrphanLine(lines('要进一步开展职工小家的创建', '活动。').at(-1)!)).toBe(false);
  });

  it('never flags a one-line paragraph or a line that is not the last', () => {
    expect(isOrphanLine(lines('是。')[0]!)).toBe(false);
    expect(isOrphanLine(lines('字。', '后面还有一行。')[0]!)).toBe(false);
  });
});

describe('Latin tokens', () => {
  it('lets ASCII punctuation start a line after a space (a token such as :foo), but not glued to the last word', () => {
    const afterSpace = [{ line: 0, text: '另一方面，\\set bar', last: false }, { line: 1, text: ':foo 是一个非常有效的拷贝', last: true, afterSpace: true }];
    expect(kinsokuViolations(afterSpace)).toEqual([]);
    const glued = [{ line: 0, text: '另一方面，\\set bar', last: false }, { line: 1, text: ':foo 是一个非常有效的拷贝', last: true, afterSpace: false }];
    expect(kinsokuViolations(glued)).toHaveLength(1);
    // Chinese closing punctuation never starts a line, space or not.
    expect(kinsokuViolations([{ line: 0, text: '工会', last: false }, { line: 1, text: '。', last: true, afterSpace: true }])).toHaveLength(1);
  });
});
