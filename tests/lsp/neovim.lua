-- Drives `stacklint lsp` from Neovim's built-in LSP client (Debian's neovim, 0.7+), headless, as a maintainer
-- would: open the overlay, type an image-less `sidekiq:` block, read the diagnostics, delete the block, type
-- it again, apply a code action, hover; then type into a new overlay that is never saved. Every wait is vim.wait on a condition. What it saw goes to $OUT as
-- JSON for tests/lsp/neovim.test.ts to judge; any Lua error is recorded there too.
local out = { steps = {} }
local recipe = os.getenv('RECIPE')
local overlay = recipe .. '/compose.smtpauth.yml'
local TIMEOUT = 30000

local function finish()
  local f = assert(io.open(os.getenv('OUT'), 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end

local function diagnostics(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), lnum = d.lnum, col = d.col, message = d.message, severity = d.severity })
  end
  return list
end

local function has_code(buf, code)
  for _, d in ipairs(diagnostics(buf)) do
    if d.code == code then return true end
  end
  return false
end

local function step(name, buf, ok)
  table.insert(out.steps, { name = name, ok = ok, diagnostics = diagnostics(buf), lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false) })
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(overlay))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'stacklint',
    cmd = { os.getenv('NODE'), os.getenv('STACKLINT'), 'lsp', '--stdio' },
    root_dir = recipe,
    workspace_folders = { { uri = vim.uri_from_fname(recipe), name = 'recipe' } },
    init_options = { debounceMs = 50 },
  })
  vim.lsp.buf_attach_client(buf, client)
  -- The recipe's other findings in this file (R015) say the first lint has been published.
  step('opened', buf, vim.wait(TIMEOUT, function() return has_code(buf, 'R015') end, 20))

  -- Type the block above the top-level `secrets:` (line 13), as keys.
  vim.api.nvim_win_set_cursor(0, { 13, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('O  sidekiq:<CR>    environment:<CR>      - A=b<Esc>', true, false, true), 'xt', false)
  step('typed', buf, vim.wait(TIMEOUT, function() return has_code(buf, 'R011') end, 20))

  -- Delete it again: the finding clears.
  vim.cmd('13,15delete')
  step('deleted', buf, vim.wait(TIMEOUT, function() return not has_code(buf, 'R011') end, 20))

  -- Type it again; then suppress R011 through its code action.
  vim.api.nvim_win_set_cursor(0, { 13, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('O  sidekiq:<CR>    environment:<CR>      - A=b<Esc>', true, false, true), 'xt', false)
  step('retyped', buf, vim.wait(TIMEOUT, function() return has_code(buf, 'R011') end, 20))
  local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, 12)
  local params = vim.lsp.util.make_range_params()
  params.range = { start = { line = 12, character = 2 }, ['end'] = { line = 12, character = 9 } }
  params.context = { diagnostics = line_diagnostics }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, TIMEOUT) or {}
  out.actions = {}
  local chosen
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(out.actions, action.title)
      if action.title == 'Suppress R011 on this line' then chosen = action end
    end
  end
  if chosen then vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16') end
  step('suppressed', buf, vim.wait(TIMEOUT, function()
    return not has_code(buf, 'R011') and vim.api.nvim_buf_get_lines(buf, 12, 13, false)[1]:match('stacklint%-disable%-next%-line R011') ~= nil
  end, 20))

  -- Hover on the app's `environment:` key: the merged value per view, with where it comes from.
  vim.api.nvim_win_set_cursor(0, { 7, 6 })
  local hovers = vim.lsp.buf_request_sync(buf, 'textDocument/hover', vim.lsp.util.make_position_params(), TIMEOUT) or {}
  for _, response in pairs(hovers) do
    if response.result then out.hover = response.result.contents.value end
  end
  -- A new overlay, never saved: `:edit` a file the disk lacks and type an image-less service into it.
  vim.cmd('edit ' .. vim.fn.fnameescape(recipe .. '/compose.worker.yml'))
  local fresh = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(fresh, client)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('iversion: "3.8"<CR>services:<CR>  worker:<CR>    environment:<CR>      - A=b<Esc>', true, false, true), 'xt', false)
  step('unsaved overlay', fresh, vim.wait(TIMEOUT, function() return has_code(fresh, 'R011') end, 20))
  out.unsaved_on_disk = vim.fn.filereadable(recipe .. '/compose.worker.yml')

  vim.lsp.stop_client(client)
  vim.wait(TIMEOUT, function() return vim.lsp.client_is_stopped(client) end, 20)
end)
if not ok then out.error = tostring(err) end
finish()
