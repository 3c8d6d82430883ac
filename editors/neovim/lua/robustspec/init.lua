-- The RobustSpec language server for Neovim's built-in client (vim.lsp; Neovim 0.7 or newer):
--   require("robustspec").setup()                    -- `robustspec lsp` from the PATH
--   require("robustspec").setup({ cmd = { "java", "-jar", "/path/robustspec.jar", "lsp" } })
-- Every `robustspec` buffer gets the server, one client per root folder: the checker's
-- diagnostics as you type, verdicts, hovers with the bounds, go to definition, references,
-- rename, completion.
local M = {}

M.defaults = {
  -- the server command; `robustspec lsp --help` lists --timeout (s per property) and --jobs
  cmd = { "robustspec", "lsp" },
  -- the workspace folder: the nearest one above the file holding one of these, else the file's
  root_markers = { ".git", ".robustspec" },
  -- passed to vim.lsp.start_client as they are (on_attach, capabilities, handlers, ...)
  extra = {},
}

local clients = {} -- root folder -> client id

local function root_dir(buf, markers)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":p:h")
  for _, marker in ipairs(markers) do
    local found = vim.fn.finddir(marker, dir .. ";")
    if found == "" then
      found = vim.fn.findfile(marker, dir .. ";")
    end
    if found ~= "" then
      return vim.fn.fnamemodify(found, ":p:h:h"):gsub("/$", "")
    end
  end
  return dir
end

--- Attaches the server for `buf`'s root (started on first use); returns the client id.
function M.start(buf, opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  local root = root_dir(buf, opts.root_markers)
  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(vim.tbl_extend("force", {
      name = "robustspec",
      cmd = opts.cmd,
      root_dir = root,
    }, opts.extra))
    if not id then
      vim.notify("robustspec: could not start " .. table.concat(opts.cmd, " "), vim.log.levels.ERROR)
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(buf, id)
  return id
end

--- Attaches the server to every robustspec buffer, now and from now on.
function M.setup(opts)
  local group = vim.api.nvim_create_augroup("robustspec_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "robustspec",
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == "robustspec" then
      M.start(buf, opts)
    end
  end
end

return M
