-- Drives the RobustSpec language server from Neovim's own LSP client (vim.lsp), headless:
-- opens a file, waits for the verdict diagnostics, asks for hovers, shuts the server down and
-- writes what it saw as JSON. Everything comes from the environment (see NeovimEndToEndTest):
--   RS_CMD      JSON array: the server command
--   RS_ROOT     the workspace root
--   RS_FILE     the .rspec file to open
--   RS_EXPECT   how many verdict diagnostics to wait for
--   RS_HOVERS   JSON array of {line, character} (0-based) to hover at
--   RS_EDIT     JSON {line, from, to, text, expect}: after the hovers, replace columns from..to
--               of a line (0-based) and wait for a diagnostic with code `expect` on that line
--   RS_OUT      where to write the JSON result
--   RS_PLUGIN   the editors/neovim plugin folder: loaded (filetype, syntax) and its
--               require("robustspec").start attaches the server
--   RS_SYNTAX   JSON array of [line, col] (1-based) whose highlight group to report
local out = { diagnostics = {}, hovers = {}, errors = {} }

local function verdict_code(d)
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  return code
end

local function run()
  vim.lsp.set_log_level("ERROR")
  local cmd = vim.fn.json_decode(os.getenv("RS_CMD"))
  vim.opt.runtimepath:prepend(os.getenv("RS_PLUGIN"))
  vim.cmd("filetype off | filetype plugin on | syntax on") -- sources the plugin's ftdetect
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("RS_FILE")))
  local buf = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[buf].filetype
  out.syntax = {}
  for _, p in ipairs(vim.fn.json_decode(os.getenv("RS_SYNTAX"))) do
    table.insert(out.syntax, vim.fn.synIDattr(vim.fn.synID(p[1], p[2], 1), "name"))
  end
  local started = vim.loop.hrtime()
  local id = require("robustspec").start(buf, { cmd = cmd })
  if not id then
    table.insert(out.errors, "the server did not start")
    return
  end
  local expected = tonumber(os.getenv("RS_EXPECT"))
  local verdicts = { certified = true, falsified = true, unknown = true, timeout = true, error = true }
  local done = vim.wait(240000, function()
    local n = 0
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if verdicts[verdict_code(d)] then
        n = n + 1
      end
    end
    return n >= expected
  end, 50)
  out.verdicts_ms = (vim.loop.hrtime() - started) / 1e6
  if not done then
    table.insert(out.errors, "timed out waiting for " .. expected .. " verdicts")
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.diagnostics, {
      line = d.lnum, col = d.col, severity = d.severity, code = verdict_code(d),
      source = d.source, message = d.message,
    })
  end
  local client = vim.lsp.get_client_by_id(id)
  for _, pos in ipairs(vim.fn.json_decode(os.getenv("RS_HOVERS"))) do
    local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = pos }
    local t0 = vim.loop.hrtime()
    local res, err = client.request_sync("textDocument/hover", params, 60000, buf)
    local entry = { ms = (vim.loop.hrtime() - t0) / 1e6 }
    if res and res.result and res.result.contents then
      entry.text = res.result.contents.value
    else
      entry.error = vim.inspect(err or (res and res.err) or "no result")
    end
    table.insert(out.hovers, entry)
  end
  local edit = os.getenv("RS_EDIT")
  if edit then
    edit = vim.fn.json_decode(edit)
    -- Neovim sends this as an incremental change (the server asks for incremental sync)
    vim.api.nvim_buf_set_text(buf, edit.line, edit.from, edit.line, edit.to, { edit.text })
    out.after_edit = vim.wait(240000, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if d.lnum == edit.line and verdict_code(d) == edit.expect then
          return true
        end
      end
      return false
    end, 50)
  end
  client.stop()
  out.stopped = vim.wait(20000, function() return client.is_stopped() end, 50)
end

local ok, err = pcall(run)
if not ok then
  table.insert(out.errors, tostring(err))
end
local f = io.open(os.getenv("RS_OUT"), "w")
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd("qa!")
