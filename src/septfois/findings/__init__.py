"""From an analysed post to findings: packs, rule types, matchers, the engine and its evaluation."""
