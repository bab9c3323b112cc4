// Answers of the site's script for (catalog, learner state) cases, for tests/test_site_semantics.py.
// Reads a JSON file [{data, questions: [{have: [...], outcome: id|null}]}] and prints, per
// question, what the script answers for `next` and, given an outcome, for `plan`.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { Semantics, nextAnswer, planAnswer } = require(path.resolve(process.argv[2]));

const cases = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const answers = cases.map(({ data, questions }) => {
  const sem = new Semantics(data);
  return questions.map(({ have, outcome }) => {
    const state = sem.learner(have);
    return {
      held: [...state.held].sort(),
      levels: Object.fromEntries([...state.levels].sort()),
      next: nextAnswer(sem, have),
      plan: outcome === null ? null : planAnswer(sem, outcome, have),
    };
  });
});
process.stdout.write(JSON.stringify(answers));
