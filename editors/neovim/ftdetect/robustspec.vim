" RobustSpec files: *.rspec, except RSpec's option file `.rspec` (nothing before the
" extension), which stays Ruby's (as in the VS Code extension).
autocmd BufRead,BufNewFile ?*.rspec setfiletype robustspec
