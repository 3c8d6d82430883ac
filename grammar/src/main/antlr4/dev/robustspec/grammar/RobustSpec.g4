// The .rspec language. This first version holds only the top-level shape (declarations of
// networks, regions and properties); the full language is built on it in the language issue.
grammar RobustSpec;

file        : declaration* EOF ;
declaration : KIND IDENT '=' source ;
source      : IDENT '(' STRING ')' ;

KIND        : 'network' | 'region' | 'property' ;
IDENT       : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
LINE_COMMENT: '//' ~[\r\n]* -> skip ;
WS          : [ \t\r\n]+ -> skip ;
