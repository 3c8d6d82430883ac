// The .rspec language: networks, input regions, properties and verification plans.
// Reference: docs/language.md. The parser is generated at build time (antlr4-maven-plugin).
grammar RobustSpec;

file        : declaration* EOF ;

declaration : letDecl
            | paramDecl
            | datasetDecl
            | networkDecl
            | regionDecl
            | propertyDecl
            | verifyDecl
            ;

letDecl     : 'let' name=IDENT '=' value=expr ;

networkDecl : 'network' name=IDENT '=' source=fileSource             # importedNetwork
            | 'network' name=IDENT '{' layer* '}'                    # inlineNetwork
            ;

fileSource  : kind=IDENT '(' path=STRING ')' ;

layer       : 'input' var=IDENT '[' size=expr ']'                    # inputLayer
            | 'dense' weights=expr '+' bias=expr                     # denseLayer
            | 'relu'                                                 # reluLayer
            ;

regionDecl  : 'region' name=IDENT '=' region ;

region      : 'box' '{' boxItem (',' boxItem)* ','? '}'                           # boxRegion
            | 'linf' '(' argument (',' argument)* ')' ('clip' '[' lo=expr ',' hi=expr ']')?  # linfRegion
            | source=fileSource                                                   # fileRegion
            ;

boxItem     : var=IDENT '[' from=expr ('..' to=expr)? ']' 'in' '[' lo=expr ',' hi=expr ']' ;

argument    : name=IDENT '=' value=expr ;

// Both quantified forms share their start, so that a mistake after 'forall' is reported once.
// A radius search (largest eps in (0, 0.1] tolerance 0.001: forall x in linf(...)) stands
// before the region it varies: over each item of a data set, or over one region.
propertyDecl: 'property' name=IDENT ':'
              ( 'forall'
                ( var=IDENT 'in' regionName=IDENT
                | '(' item=IDENT ',' label=IDENT ')' 'in' dataset=IDENT ':' (search=radiusSearch ':')?
                  'forall' var=IDENT 'in' inline=region
                )
              | search=radiusSearch ':' 'forall' var=IDENT 'in' inline=region
              ) ':' formula                                                                # formulaProperty
            | 'property' name=IDENT '=' source=fileSource 'on' networkName=IDENT              # fileProperty
            ;

verifyDecl  : 'verify' targets+=IDENT (',' targets+=IDENT)* ('using' pass (',' pass)*)? ;

pass        : name=IDENT ('(' (argument (',' argument)*)? ')')? ;

formula     : 'not' formula                                          # notFormula
            | left=formula 'and' right=formula                       # andFormula
            | left=formula 'or' right=formula                        # orFormula
            | <assoc=right> left=formula '->' right=formula          # impliesFormula
            | '(' formula ')'                                        # parenFormula
            | left=expr op=('<=' | '>=' | '<' | '>') right=expr      # comparison
            | fn=('argmax' | 'argmin') '(' net=IDENT '(' var=IDENT ')' ')' op=('==' | '!=') cls=expr  # argFormula
            ;

// Arithmetic: constants, vectors, matrices, and outputs net(x)[i] in formulas.
expr        : op=('-' | '+') expr                                    # signExpr
            | left=expr op=('*' | '/') right=expr                    # mulExpr
            | left=expr op=('+' | '-') right=expr                    # addExpr
            | '(' expr ')'                                           # parenExpr
            | net=IDENT '(' var=IDENT ')' '[' index=expr ']'         # outputExpr
            | fn=IDENT '(' path=STRING ')'                           # fileExpr
            | '[' (expr (',' expr)*)? ']'                            # listExpr
            | NUMBER                                                 # numberExpr
            | DURATION                                               # durationExpr
            | IDENT                                                  # nameExpr
            ;

// Declared after the older rules so that their keywords keep their token numbers (the
// expected-token lists of syntax errors are ordered by them).
// A value the command line may override: --set eps=0.05, --sweep eps=0.01,0.02.
paramDecl   : 'param' name=IDENT '=' value=expr ;

// A labelled data set: csv("f.csv", scale = 1/255, rows = 0..99, shape = [1, 28, 28]), npy(...).
datasetDecl : 'dataset' name=IDENT '=' kind=IDENT '(' path=STRING (',' datasetArgument)* ')' ;

datasetArgument : name=IDENT '=' from=expr '..' to=expr                # rangeArgument
                | argument                                             # valueArgument
                ;

// The largest radius in (lo, hi] at which the property holds, found to within the tolerance.
radiusSearch : 'largest' var=IDENT 'in' '(' lo=expr ',' hi=expr ']' ('tolerance' tol=expr)? ;

DURATION    : (DIGITS ('.' DIGITS?)? | '.' DIGITS) ('s' | 'ms' | 'min') ;
// No trailing-dot form ("1."): it would swallow the first dot of a range, x[0..4] -> '0.' '.4'.
NUMBER      : DIGITS ('.' DIGITS)? EXPONENT?
            | '.' DIGITS EXPONENT?
            ;
fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

IDENT       : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS          : [ \t\r\n]+ -> channel(HIDDEN) ;
// Any other character becomes a token the parser rejects, so the lexer never fails silently.
ERROR_CHAR  : . ;
