#!/usr/bin/env node
// Generates syntax/robustspec.vim from the VS Code extension's TextMate grammar
// (vscode-extension/syntaxes/robustspec.tmLanguage.json), so Neovim highlights the same tokens
// as VS Code and both follow the lexer (grammar.test.ts holds the TextMate grammar to it).
//   node editors/neovim/generate-syntax.mjs           writes the file
//   node editors/neovim/generate-syntax.mjs --check   exits 1 when the file is not up to date
// No dependencies: Node's standard library only.
//
// Translation. Each TextMate rule becomes one Vim item: a keyword list `(?:a|b)\b` becomes
// `syntax keyword`, a begin/end rule a `syntax region`, a match with a declared-name capture a
// match of the name after its keyword (`\v(<let\s+)@<=name`), any other match a `syntax match`
// with the Oniguruma pattern rewritten in Vim's very-magic syntax. TextMate lets the first rule
// that matches at a position win; Vim lets the last defined match win (keywords always win, as
// the grammar's keywords come before every other word rule), so matches are emitted in reverse.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const grammarFile = join(here, "..", "..", "vscode-extension", "syntaxes", "robustspec.tmLanguage.json");
const outFile = join(here, "syntax", "robustspec.vim");

/** The Vim highlight group a TextMate scope links to (first matching prefix wins). */
const LINKS = [
  ["comment", "Comment"],
  ["punctuation.definition.comment", "Comment"],
  ["punctuation.definition.string", "String"],
  ["constant.character.escape", "SpecialChar"],
  ["string", "String"],
  ["constant.numeric", "Number"],
  ["keyword.declaration", "Keyword"],
  ["keyword.control", "Conditional"],
  ["keyword.operator.logical", "Operator"],
  ["keyword.operator", "Operator"],
  ["keyword.other", "Keyword"],
  ["entity.name.type", "Type"],
  ["entity.name.function.property", "Function"],
  ["entity.name.function", "Function"],
  ["entity.name.constant", "Constant"],
  ["support.function", "Function"],
  ["variable.parameter", "Identifier"],
  ["variable.other", "Identifier"],
  ["punctuation", "Delimiter"],
  ["invalid", "Error"],
];

/** `keyword.other.layer.robustspec` -> `rspecKeywordOtherLayer`. */
function groupName(scope) {
  const parts = scope.replace(/\.robustspec$/, "").split(/[.-]/);
  return "rspec" + parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}

function linkOf(scope) {
  for (const [prefix, group] of LINKS) {
    if (scope === prefix || scope.startsWith(prefix + ".")) {
      return group;
    }
  }
  throw new Error(`no Vim highlight group for the scope ${scope}: add it to LINKS`);
}

/**
 * An Oniguruma pattern in Vim's very-magic syntax (\v): (?:…) -> %(…), (?=…) -> (…)@=,
 * (?!…) -> (…)@!, \b -> < or > (start or end of a word), and the characters that are special
 * in \v but literal in Oniguruma (= < > { } @ % ~ &) escaped outside brackets. Fails on
 * anything else it does not know, so a grammar change cannot slip through untranslated.
 */
function toVim(pattern) {
  let out = "";
  const closers = []; // what each open group ends with: ")" or ")@=" / ")@!"
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1];
      i++;
      if (n === "b") {
        out += i === 1 ? "<" : ">";
      } else if ("dsSwW".includes(n)) {
        out += "\\" + n;
      } else if ("\\.*+?()[]{}|/-^$".includes(n)) {
        out += "\\" + n;
      } else {
        throw new Error(`unknown escape \\${n} in ${pattern}`);
      }
    } else if (c === "[") {
      let j = i + 1;
      let cls = "[";
      if (pattern[j] === "^") {
        cls += "^";
        j++;
      }
      for (; pattern[j] !== "]"; j++) {
        if (j >= pattern.length) {
          throw new Error(`unclosed [ in ${pattern}`);
        }
        if (pattern[j] === "\\") {
          cls += "\\" + pattern[j + 1];
          j++;
        } else {
          cls += pattern[j];
        }
      }
      out += cls + "]";
      i = j;
    } else if (c === "(") {
      if (pattern.startsWith("(?:", i)) {
        out += "%(";
        closers.push(")");
        i += 2;
      } else if (pattern.startsWith("(?=", i)) {
        out += "(";
        closers.push(")@=");
        i += 2;
      } else if (pattern.startsWith("(?!", i)) {
        out += "(";
        closers.push(")@!");
        i += 2;
      } else if (pattern[i + 1] === "?") {
        throw new Error(`unknown group ${pattern.slice(i, i + 3)} in ${pattern}`);
      } else {
        out += "(";
        closers.push(")");
      }
    } else if (c === ")") {
      out += closers.pop();
    } else if ("=<>{}@%~&".includes(c)) {
      out += "\\" + c;
    } else {
      out += c;
    }
  }
  if (closers.length > 0) {
    throw new Error(`unclosed group in ${pattern}`);
  }
  return "\\v" + out;
}

/** `pattern` between delimiters that do not occur in it (Vim lets any character delimit). */
function quoted(pattern) {
  for (const d of ['"', "#", "~", "'", ";", "!"]) {
    if (!pattern.includes(d)) {
      return d + pattern + d;
    }
  }
  throw new Error(`no delimiter fits ${pattern}`);
}

/** The rules in TextMate order, includes resolved. */
function flatten(grammar) {
  const rules = [];
  const visit = (rule, repoName) => {
    if (rule.include) {
      const name = rule.include.replace(/^#/, "");
      visit(grammar.repository[name], name);
    } else if (rule.patterns && !rule.begin) {
      rule.patterns.forEach((r) => visit(r, repoName));
    } else {
      rules.push({ ...rule, repoName });
    }
  };
  grammar.patterns.forEach((r) => visit(r, null));
  return rules;
}

function generate(grammar) {
  const groups = new Map(); // group -> linked Vim group
  const use = (scope) => {
    const g = groupName(scope);
    groups.set(g, linkOf(scope));
    return g;
  };
  const keywords = [];
  const matches = [];
  const regions = [];
  for (const rule of flatten(grammar)) {
    if (rule.begin) {
      const g = use(rule.name);
      const contained = (rule.patterns || []).map((p) => {
        const cg = use(p.name);
        return `syntax match ${cg} ${quoted(toVim(p.match))} contained`;
      });
      const skip = contained.length > 0 ? ` contains=${(rule.patterns || []).map((p) => groupName(p.name)).join(",")} skip=${quoted(toVim(rule.patterns[0].match))}` : "";
      const oneline = rule.end === "$" ? "" : rule.name.startsWith("string") ? " oneline" : "";
      regions.push(...contained, `syntax region ${g} start=${quoted(toVim(rule.begin))} end=${quoted(toVim(rule.end))}${skip}${oneline}`);
      continue;
    }
    const kw = /^\(\?:([a-z|]+)\)\\b$/.exec(rule.match);
    if (kw && rule.name) {
      keywords.push(`syntax keyword ${use(rule.name)} ${kw[1].split("|").join(" ")}`);
      continue;
    }
    if (rule.captures) {
      // (word)\s+(name)\b: the word is a keyword (listed among the keywords); the name is
      // matched where it follows the word
      // (one keyword, or several as (let|param))
      const m = /^\(([a-z|]+)\)\\s\+\((.*)\)\\b$/.exec(rule.match);
      if (!m) {
        throw new Error(`unknown capture rule ${rule.match}`);
      }
      const word = m[1].includes("|") ? `(${m[1]})` : m[1];
      const g = use(rule.captures["2"].name);
      matches.push(`syntax match ${g} ${quoted(`\\v(<${word}\\s+)@<=${toVim(m[2]).slice(2)}>`)}`);
      continue;
    }
    matches.push(`syntax match ${use(rule.name)} ${quoted(toVim(rule.match))}`);
  }
  const lines = [
    `" Vim syntax file for RobustSpec (.rspec). GENERATED by editors/neovim/generate-syntax.mjs`,
    `" from vscode-extension/syntaxes/robustspec.tmLanguage.json: do not edit; regenerate.`,
    `if exists("b:current_syntax")`,
    `  finish`,
    `endif`,
    `syntax case match`,
    `syntax iskeyword @,48-57,_`,
    ``,
    `" matches in reverse TextMate order: in Vim the last defined match wins at a position`,
    ...matches.reverse(),
    ``,
    `" keywords (in Vim a keyword wins over every match, as in the TextMate grammar's order)`,
    ...keywords,
    ``,
    `" strings and comments last: they win over everything that starts where they start`,
    ...regions.reverse(),
    ``,
    ...[...groups].map(([g, link]) => `highlight default link ${g} ${link}`),
    ``,
    `let b:current_syntax = "robustspec"`,
    ``,
  ];
  return lines.join("\n");
}

const text = generate(JSON.parse(readFileSync(grammarFile, "utf8")));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(outFile, "utf8");
  } catch {
    // missing: not up to date
  }
  if (current !== text) {
    console.error(`${outFile} is not up to date with ${grammarFile}: run node editors/neovim/generate-syntax.mjs`);
    process.exit(1);
  }
  console.log(`${outFile} is up to date`);
} else {
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}`);
}
