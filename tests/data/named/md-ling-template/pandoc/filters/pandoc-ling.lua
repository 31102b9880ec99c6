--[[
pandoc-linguex: make interlinear glossing with pandoc

Version 1.6
Copyright © 2021, 2022 Michael Cysouw <cysouw@mac.com>

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
]]

-- because of new table structure:
PANDOC_VERSION:must_be_at_least '2.10'

---------------------
-- 'global' variables
---------------------

local counter = 0 -- actual numbering of examples
local chapter = 0 -- numbering of chapters
local counterInChapter = 0 -- counter reset for each chapter
local indexEx = {} -- global lookup for example IDs
local subExIndex = {} -- lookup for sub-example IDs: subExID -> {parentExID, letter}
local orderInText = 0 -- order of references for resolving "Next"-style references
local indexRef = {} -- key/value: order in text = refID/exID
local rev_indexRef = {} -- "reversed" indexRef, i.e. key/value: refID/exID = order-number in text

------------------------------------
-- User Settings with default values
------------------------------------

local formatGloss = false -- format interlinear examples
local samePage = true -- keep example on one page in Latex
local xrefSuffixSep = " " -- &nbsp; separator to be inserted after number in example references
local restartAtChapter = false -- restart numbering at highest header without adding local chapternumbers
local addChapterNumber = false -- add chapternumbers to counting and restart at highest header
local latexPackage = "linguex"
local topDivision = "section"
local noFormat = false
local documentclass = "article"

function getUserSettings (meta)
  if meta.formatGloss ~= nil then
    formatGloss = meta.formatGloss
  end
  if meta.samePage ~= nil then
    samePage = meta.samePage
  end
  if meta.noFormat ~= nil then
    noFormat = meta.noFormat
  end
  if meta.xrefSuffixSep ~= nil then
    xrefSuffixSep = pandoc.utils.stringify(meta.xrefSuffixSep)
  end
  if meta.restartAtChapter ~= nil then
    restartAtChapter = meta.restartAtChapter
  end
  if meta.addChapterNumber ~= nil then
    addChapterNumber = meta.addChapterNumber
  end
  if meta.latexPackage ~= nil then
    latexPackage = pandoc.utils.stringify(meta.latexPackage)
  end
  if meta["top-level-division"] ~= nil then
    topDivision = pandoc.utils.stringify(meta["top-level-division"])
  end
  if meta.documentclass ~= nil then
    documentclass = pandoc.utils.stringify(meta.documentclass)
  end
end

------------------------------------------
-- add latex dependencies: langsci-gb4e is not on CTAN!
-- restarting of counters is not working right for gb4e
------------------------------------------

function addFormatting (meta)

  local tmp = pandoc.MetaList{meta['header-includes']}
  if meta['header-includes'] ~= nil then
    tmp = meta['header-includes']
  end

  if FORMAT:match "html" then
    -- add specific CSS for layout of examples
    -- building on classes set in this filter
    -- local f = io.open("pandoc-ling.css")
    -- local css = f:read("*a")
    -- f:close()
    local css = [[
<!-- CSS added by lua-filter 'pandoc-ling' -->
<style>
.linguistic-example { 
  margin: 0; 
}
.linguistic-example caption { 
  margin-bottom: 0; 
}
.linguistic-example tbody { 
  border-top: none; 
  border-bottom: none;
}
.linguistic-example-preamble {
  height: 1em;
  vertical-align: top; 
}
.linguistic-example td {
  padding-left: 0;
}
.linguistic-example-content { 
  vertical-align: top;  
}
.linguistic-example-label {
  vertical-align: top;
}
.linguistic-example-judgement { 
  vertical-align: top; 
  padding-right: 2px;
}
</style>
      ]]
    tmp[#tmp+1] = pandoc.MetaBlocks(pandoc.RawBlock("html", css))
    meta['header-includes'] = tmp
  end
  
  local function add (s)
    tmp[#tmp+1] = pandoc.MetaBlocks(pandoc.RawBlock("tex", s))
  end
  
  if FORMAT:match "latex" or FORMAT:match "beamer" then
  
    if latexPackage == "linguex" then
      add("\\usepackage{linguex}")
      -- no brackets
      add("\\renewcommand{\\theExLBr}{}")
      add("\\renewcommand{\\theExRBr}{}")
      -- space for judgements
      add("\\newcommand{\\jdg}[1]{\\makebox[0.4em][r]{\\normalfont#1\\ignorespaces}}")
      -- chapternumbes
      add("\\usepackage{chngcntr}")
      if addChapterNumber then
        add("\\counterwithin{ExNo}{"..topDivision.."}")
        add("\\renewcommand{\\Exarabic}{\\the"..topDivision..".\\arabic}")
      elseif restartAtChapter then
        add("\\counterwithin*{ExNo}{"..topDivision.."}")
      end

    elseif latexPackage == "gb4e" then
      add("\\usepackage{"..latexPackage.."}")
      add("\\noautomath")
      -- nnext package does not work with added top level number
      -- add("\\usepackage[noparens]{nnext}")
      add("\\usepackage{chngcntr}")
      if addChapterNumber then
        add("\\counterwithin{xnumi}{"..topDivision.."}")
        add("\\counterwithin{exx}{"..topDivision.."}")
        add("\\exewidth{(9.123)}")
      elseif restartAtChapter then
        add("\\counterwithin*{exx}{"..topDivision.."}")
      end

    elseif latexPackage == "langsci-gb4e" then
      add("\\usepackage{"..latexPackage.."}")
      -- nnext package does not work with added top level number
      -- add("\\usepackage[noparens]{nnext}")
      add("\\usepackage{chngcntr}")
      if addChapterNumber then
        add("\\counterwithin{xnumi}{"..topDivision.."}")
        --add("\\counterwithin{exx}{"..topDivision.."}")
        add("\\exewidth{(9.123)}")
      elseif restartAtChapter then
        add("\\counterwithin*{xnumi}{"..topDivision.."}")
      end

    elseif latexPackage == "expex" then
      add("\\usepackage{expex}")
      add("\\lingset{ \
            belowglpreambleskip = -1.5ex, \
            aboveglftskip = -1.5ex, \
            exskip = 0ex, \
            interpartskip = -0.5ex, \
            belowpreambleskip = -2ex \
          }")
      if addChapterNumber then
        if documentclass == "book" then
          add("\\lingset{exnotype=chapter.arabic}")
        end
      end
      if restartAtChapter then
        --add("\\usepackage{epltxchapno}")
        add("\\usepackage{etoolbox}")
        add("\\pretocmd{\\"..topDivision.."}{\\excnt=1}{}{}")
      end

    end
    meta['header-includes'] = tmp
  end

  return meta
end

-------------------------------------------
-- add temporary divs to first header level
-------------------------------------------

-- will be removed again once the chapters are counted
function addDivToHeader (head)
  if  head.tag == "Header" 
      and head.level == 1 
      and head.classes[1] ~= "unnumbered"
  then
    head.attr = {id = head.identifier, class = "restart"}
    return pandoc.Div(head)
  end
end

----------------------------
-- parse/rewrite example div
----------------------------

function processDiv (div)

  -- keep track of chapters (header == 1)
  -- included in this loop by trick "addDivToHeader"
  if div.content[1] and div.content[1].tag == "Header" and div.content[1].classes[1] == "restart"  then
    chapter = chapter + 1
    counterInChapter = 0
    div.content[1].attr = {id = div.content[1].identifier, class = ""}
    -- remove div
    return div.content
  end

  -- only do formatting for divs with class "ex"
  if div.classes[1] == "ex" then

    -- check format override per example
    local saveGlobalformatGloss = formatGloss
    if div.attributes.formatGloss ~= nil then
      formatGloss = div.attributes.formatGloss
    end

    local saveGlobalsamePage = samePage
    if div.attributes.samePage ~= nil then
      samePage = div.attributes.samePage
    end

    local saveGlobalnoFormat = noFormat
    if div.attributes.noFormat ~= nil then
      noFormat = div.attributes.noFormat
    end

    -- parse!
    local parsedDiv = parseDiv(div)

    -- add temporary Cite to resolve "Next"-type references
    -- will be removed after cross-references are in place
    local tmpCite = pandoc.Plain(pandoc.Cite(
            {pandoc.Str("@Target")},
            {pandoc.Citation(parsedDiv.exID,"NormalCitation")}))

    -- reformat!
    local example
    if FORMAT:match "latex" or FORMAT:match "beamer" then
      example = texMakeExample(parsedDiv)
    else
      example = parsedDiv.examples
      example = pandocMakeExample(parsedDiv)
      example = pandoc.Div(example)
      example.attr = {id = parsedDiv.exID}
    end

    -- return to global setting
    formatGloss = saveGlobalformatGloss
    samePage = saveGlobalsamePage
    noFormat = saveGlobalnoFormat

    return { tmpCite, example }
  end
end

------------
-- parse div
------------

function parseDiv (div)

  -- keep count of examples
  counter = counter + 1
  counterInChapter = counterInChapter + 1
  
  -- format the numbering
  local number = counter
  if addChapterNumber then
    number = chapter.."."..counterInChapter
  elseif restartAtChapter then
    number = counterInChapter
  end
  
  -- make identifier for example
  local exID = ""
  if div.identifier == "" then
    if restartAtChapter then
      -- to resolve clashes with same number used in different chapters
      exID = "ex"..chapter.."."..counterInChapter
    else
      -- use actual number
      exID = "ex"..number
    end
  else
      -- or keep user-provided identifier
    exID = div.identifier
  end
  
  -- keep global index of ids/numbers for crossreference
  indexEx[exID] = number
  
  -- extract preamble
  local preamble = nil	
  local data = div.content[1]
  if #div.content== 2 then
    preamble = pandoc.Plain(div.content[1].content)
    data = div.content[2]
  end

  -- extract judgements and content of examples
  local judgements = {}
  local examples = {}
  local kind = {}
  local subExIDs = {} -- track sub-example IDs

  if noFormat then
    preamble = nil
    kind[1] = "single"
    judgements[1] = nil
    examples[1] = div
  elseif data.tag == "OrderedList" or data.tag == "BulletList" then
    for i=1,#data.content do
      -- Extract sub-example ID if present, BEFORE calling parseExample
      local firstBlock = data.content[i][1]
      if firstBlock.tag == "LineBlock" then
        -- For interlinear examples, check the first line (header/label line)
        local firstLine = firstBlock.content[1]
        local lineText = pandoc.utils.stringify(firstLine)
        local subID = string.match(lineText, "{#([^}]+)}")
        if subID then
          subExIDs[i] = subID
          -- Remove the {#id} from the actual content and trim whitespace
          for j = #firstLine, 1, -1 do
            local elem = firstLine[j]
            if elem.tag == "Str" and string.match(elem.text, "{#[^}]+}") then
              local cleaned = string.gsub(elem.text, "%s*{#[^}]+}%s*", " ")
              cleaned = string.gsub(cleaned, "^%s+", "")  -- trim leading
              cleaned = string.gsub(cleaned, "%s+$", "")  -- trim trailing
              firstLine[j] = pandoc.Str(cleaned)
              break
            end
          end
        end
      elseif firstBlock.tag == "Para" or firstBlock.tag == "Plain" then
        -- For single-line examples, check the content
        local content = firstBlock.content
        local contentText = pandoc.utils.stringify(content)
        local subID = string.match(contentText, "{#([^}]+)}")
        if subID then
          subExIDs[i] = subID
          -- Remove the {#id} from the actual content and trim whitespace
          for j = #content, 1, -1 do
            local elem = content[j]
            if elem.tag == "Str" and string.match(elem.text, "{#[^}]+}") then
              local cleaned = string.gsub(elem.text, "%s*{#[^}]+}%s*", " ")
              cleaned = string.gsub(cleaned, "^%s+", "")  -- trim leading
              cleaned = string.gsub(cleaned, "%s+$", "")  -- trim trailing
              content[j] = pandoc.Str(cleaned)
              break
            end
          end
        end
      end
      -- Now parse the example (after ID extraction and removal)
      -- Check if this list item has a table with optional preamble
      local listItem = data.content[i]
      if #listItem == 2 and listItem[2].tag == "Div" and listItem[2].classes:includes("extable") then
        -- This is a table example with a preamble (first block)
        judgements[i] = nil  -- tables don't have judgements
        kind[i] = "table"
        -- Create a structure similar to interlinear: table + optional header/preamble
        local tableData = {}
        tableData.table = listItem[2].content[1]  -- The actual table
        tableData.preamble = listItem[1]  -- The preamble block (Para or Plain)
        examples[i] = tableData
      else
        -- Standard parsing for single/interlinear examples
        judgements[i], examples[i], kind[i] = parseExample(listItem[1])
      end
    end
  else
    judgements[1], examples[1], kind[1] = parseExample(data)
  end
  
  -- Register sub-example IDs in global index
  for i, subID in pairs(subExIDs) do
    local letter = string.char(96 + i) -- a, b, c, etc.
    subExIndex[subID] = {parentExID = exID, letter = letter}
  end

  return { 	kind = kind, -- list of single/interlinear
            preamble = preamble,   -- preamble is Plain
            judgements = judgements, -- judgements is list of Str
            examples = examples,   -- examples is list of (list of) Plain
            number = number,       -- number, exID are bare string
            exID = exID,
            subExIDs = subExIDs    -- map: index -> sub-example ID
          }
end

----------------------------------
-- parse various kinds of examples
----------------------------------

function parseExample (data)

  local judgement, example, kind

  -- either a single line example
  if data.tag == "Para" or data.tag == "Plain" then
    judgement, example = splitJudgement(data.content)
    example = pandoc.Plain(example)
    kind = "single"

  -- or an interlinear example
  elseif data.tag == "LineBlock" then
    judgement, example = parseInterlinear(data.content)
    kind = "interlinear"
  
  -- or a table (tabular) example
  elseif data.tag == "Div" and data.classes:includes("extable") then
    example = data.content[1]  -- should be a Table
    if example and example.tag == "Table" then
      kind = "table"
      judgement = nil  -- tables don't have judgements
    else
      -- fallback if there's no table inside
      judgement, example = splitJudgement(data.content)
      example = pandoc.Plain(example)
      kind = "single"
    end
  end

  -- judgement is Str, example is (list of) Plain (or Table for table kind)
  return judgement, example, kind
end

-------------------------------

function parseInterlinear (block)

  local interlinear = {}
  local judgement, source
  
  -- Detect structure based on number of lines
  if #block == 5 then
    -- 5 lines: header1, header2, source, gloss, translation
    -- header1
    local header = block[1]
    for i=1,#header do
      if header[i].text == "\\" then
        header[i] = pandoc.LineBreak()
      end
    end
    interlinear["header"] = pandoc.Plain(header)
    
    -- header2
    local header2 = block[2]
    for i=1,#header2 do
      if header2[i].text == "\\" then
        header2[i] = pandoc.LineBreak()
      end
    end
    interlinear["header2"] = pandoc.Plain(header2)
    
    -- source (with judgement)
    judgement, source = splitJudgement( block[3] )
    interlinear["source"] = splitSource(source)
    
    -- gloss
    interlinear["gloss"] = splitGloss( block[4] )
    
    -- translation
    interlinear["trans"] = getTrans( block[5] )
    
  else
    -- 3-4 lines: [header], source, gloss, translation
    judgement, source = splitJudgement( block[2] )
    
    -- header
    local header = block[1]
    for i=1,#header do
      if header[i].text == "\\" then
        header[i] = pandoc.LineBreak()
      end
    end
    interlinear["header"] = pandoc.Plain(header)
    interlinear["header2"] = nil
    
    -- source
    interlinear["source"] = splitSource(source)
    -- gloss
    interlinear["gloss"] = splitGloss( block[3] )
    -- translation
    interlinear["trans"] = getTrans( block[#block] )
  end

  -- judgement is Str
  -- (header, header2, trans) in interlinear is Plain
  -- (source, gloss) in interlinear is list of Plain
  return judgement, interlinear
end

----------------------------------------
-- helper functions to parse interlinear
----------------------------------------

function splitSource (line)
  local splitSource = splitPara(line)
  if formatGloss then
    -- make emph throughout, but preserve Span{.normal} elements
    for i=1,#splitSource do 
      local content = splitSource[i].content
      local newContent = pandoc.List()
      for j=1,#content do
        local elem = content[j]
        if elem.tag == "Str" then
          -- Wrap Str elements in Emph for italics
          newContent:insert(pandoc.Emph({elem}))
        elseif elem.tag == "Span" and elem.classes:includes("normal") then
          -- For Span with class "normal", emit content without Emph
          if FORMAT:match 'latex' then
            -- Wrap in \textnormal{} for LaTeX
            local spanContent = pandoc.utils.stringify(elem.content)
            newContent:insert(pandoc.RawInline('latex', '\\textnormal{' .. spanContent .. '}'))
          else
            -- For HTML, just add the content without emphasis
            newContent:extend(elem.content)
          end
        else
          -- Preserve other inline elements (Space, etc.)
          newContent:insert(elem)
        end
      end
      splitSource[i] = pandoc.Plain(newContent)
    end
  end
  -- list of Plain
  return splitSource
end

-------------------------------

function splitGloss (line)
  local splitGloss = splitPara(line)
  if formatGloss then 
    -- remove format and turn capital-sequences into smallcaps
    for i=1,#splitGloss do 
      local string = pandoc.utils.stringify(splitGloss[i])
      splitGloss[i] = pandoc.Plain(formatGlossLine(string))
    end 
  end 
  -- list of Plain
  return splitGloss
end

-------------------------------

function getTrans (line)
  if formatGloss then
    -- Check if user provided their own quotes
    if line[1] and line[1].tag == "Quoted" then
      -- User provided quotes - preserve everything as-is
      -- This allows users to manually handle citations and formatting
      return pandoc.Plain(line)
    end
    
    -- No user quotes - apply automatic formatting
    -- Extract trailing citations and spaces to place them outside the quotes
    local citations = {}
    local i = #line
    while i >= 1 do
      if line[i].tag == "Cite" or line[i].tag == "Space" then
        table.insert(citations, 1, line[i])
        i = i - 1
      else
        break
      end
    end
    
    -- Remove extracted citations from line
    for j = 1, #citations do
      table.remove(line)
    end
    
    -- Quote the remaining content
    line = pandoc.Quoted("SingleQuote", line)
    
    -- Append citations after the quote
    if #citations > 0 then
      local result = {line}
      for _, cite in ipairs(citations) do
        table.insert(result, cite)
      end
      line = result
    end
  end
  return pandoc.Plain(line)
end

------------------------------------------
-- helper functions for (lists of) inlines
------------------------------------------

function formatGlossLine (s)
  -- turn uppercase in gloss into .gl spans
  -- Only fully uppercase components are treated as glosses
  
  -- Check if this is a name abbreviation (e.g., "A." or "B.")
  -- These end with a period and are typically short
  if string.match(s, "^[%u][%u]?%.$") then
    -- Name abbreviation - don't format
    return {pandoc.Str(s)}
  end
  
  -- Check if this looks like a proper name (starts with capital, then lowercase, no separators)
  if string.match(s, "^[%u][%l][%l]") and not string.match(s, "[%-‑:=<>~%.%d]") then
    -- Likely a proper name (e.g., "Antonio") - don't format
    return {pandoc.Str(s)}
  end
  
  local split = {}
  local pos = 1
  
  while pos <= #s do
    -- Try to match lowercase/separator sequence
    local lower_start, lower_end = string.find(s, "^[^%u%d]+", pos)
    if lower_start then
      table.insert(split, pandoc.Str(string.sub(s, lower_start, lower_end)))
      pos = lower_end + 1
    end
    
    if pos <= #s then
      -- Check for person markers first (1, 2, 3, 4, or combinations like 1+2, 1+3, etc.)
      -- Pattern: [1-4](+[1-4])? followed by uppercase letters
      local person_start, person_end, person_marker, rest_upper = string.find(s, "^([1-4]%+?[1-4]?)([%u]+)", pos)
      
      if person_start and rest_upper then
        -- Found person marker + gloss abbreviation - split into two .gl spans
        table.insert(split, pandoc.Span({pandoc.Str(person_marker)}, {class = "gl"}))
        table.insert(split, pandoc.Span({pandoc.Str(pandoc.text.lower(rest_upper))}, {class = "gl"}))
        pos = person_end + 1
      else
        -- Try to match an uppercase/digit sequence
        local upper_start, upper_end = string.find(s, "^[%u%d]+", pos)
        if upper_start then
          local upper_text = string.sub(s, upper_start, upper_end)
          -- Check if this uppercase sequence is followed by lowercase (making it mixed case)
          local next_pos = upper_end + 1
          if next_pos <= #s then
            local next_char = string.sub(s, next_pos, next_pos)
            if string.match(next_char, "%l") then
              -- Mixed case (e.g., "Ind") - don't convert, treat whole thing as regular text
              -- Find the end of this mixed-case word
              local mixed_end = string.find(s, "[^%a%d]", next_pos)
              if mixed_end then
                mixed_end = mixed_end - 1
              else
                mixed_end = #s
              end
              table.insert(split, pandoc.Str(string.sub(s, upper_start, mixed_end)))
              pos = mixed_end + 1
            else
              -- Fully uppercase - convert to .gl span
              table.insert(split, pandoc.Span({pandoc.Str(pandoc.text.lower(upper_text))}, {class = "gl"}))
              pos = next_pos
            end
          else
            -- At end of string and all uppercase - convert
            table.insert(split, pandoc.Span({pandoc.Str(pandoc.text.lower(upper_text))}, {class = "gl"}))
            pos = next_pos
          end
        else
          -- Shouldn't happen, but handle gracefully
          pos = pos + 1
        end
      end
    end
  end
  
  if #split == 0 then
    if s == "~" then s = "   " end -- sequence "space-nobreakspace-space"
    table.insert(split, pandoc.Str(s))
  end
  -- result is list of inlines
  return split
end

function splitPara (p)
  -- remove quotes, they interfere with the splitting
 if p[1].tag == "Quoted" then
   p = p[1].content
 end
 -- push down emphasis to the individual words
 if p[1].tag == "Emph" then
  p = pandoc.walk_inline( p, { 
    Str = function(s) return Emph(s) end 
  } )
  end
  -- split paragraph in subtables at Space 
  -- to insert paragraph into pandoc.Table
  -- Is there a better way to do this in Pandoc-Lua?
  local start = 1
  local result = {}
  for i=1,#p do
    if p[i].tag == "Space" then
     -- take everythins from start up to the space
      local chunk = table.move(p, start, i-1, 1, {})
      table.insert(result, pandoc.Plain(chunk) )
      -- move start to after space
      start = i + 1
    end
  end
  -- everything after the last space
  if start <= #p then
    local chunk = table.move(p, start, #p, 1, {})
    table.insert(result, pandoc.Plain(chunk) )
  end
  -- result is list of Plain chunks
  return result
end

function splitJudgement (line)
  local judgement = nil
  local first = pandoc.utils.stringify(line[1])
  -- complex judgements, e.g. with formatting
  if first == "^" then
    judgement = line[2]
    for i=1,3 do table.remove(line, 1) end
  -- simple judgement, only a string
  elseif string.sub(first, 1, 1) == "^" then
    judgement = pandoc.Str(string.sub(first, 2))
    for i=1,2 do table.remove(line, 1) end
  end
  -- judgement is Str, line is list of inlines
  return judgement, line
end

--------------
-- rewrite div
--------------

function pandocMakeExample (parsedDiv)

  -- sequences of 'single' will be combined into one output table
  local kind = parsedDiv.kind
  local onlySingle = true
  for i=1,#kind do
    if kind[i] ~= "single" then
      onlySingle = false
    end
  end

  -- prepare the examples for output as tables
  local example = {}
  if noFormat then
    example[1] = pandocNoFormat(parsedDiv)
  elseif #kind == 1 and kind[1] == "single" then
    example[1] = pandocMakeSingle(parsedDiv)
    -- Set ID if this single example has a sub-example ID
    if parsedDiv.subExIDs and parsedDiv.subExIDs[1] then
      example[1].attr = pandoc.Attr(parsedDiv.subExIDs[1], {"linguistic-example"})
    end
  elseif #kind == 1 and kind[1] == "interlinear" then
    example[1] = pandocMakeInterlinear(parsedDiv)
    -- Set ID if this interlinear has a sub-example ID
    if parsedDiv.subExIDs and parsedDiv.subExIDs[1] then
      example[1].attr = pandoc.Attr(parsedDiv.subExIDs[1], {"linguistic-example"})
    end
  elseif #kind == 1 and kind[1] == "table" then
    example[1] = pandocMakeTable(parsedDiv)
  elseif #kind > 1 and onlySingle then
    example[1] = pandocMakeList(parsedDiv)
  else
    example = pandocMakeMixedList(parsedDiv)
  end

  -- Add example number to top left of first table
  local numberParen = pandoc.Plain( "("..parsedDiv.number..")" )
  example[1].bodies[1].body[1].cells[1].contents[1] = numberParen
  
  -- set class and vertical align for noFormat
  if noFormat then
    example[1].bodies[1].body[1].cells[1].attr = {class = "linguistic-example-number", style = "vertical-align: middle;"}
  else
    example[1].bodies[1].body[1].cells[1].attr = {class = "linguistic-example-number", style = "vertical-align: top;"}
  end

  return example
end

function pandocNoFormat (parsedDiv)

  -- make a simple 1x2 table with the whole div in the second cell
  local example = turnIntoTable({{ {}, {parsedDiv.examples[1]} } } , 2, 0)
  -- set class of content
  example.bodies[1].body[1].cells[2].attr = {class = "linguistic-example-content"}

  return example
end

function pandocMakeSingle (parsedDiv)

  -- basic content
  local exampleLine = parsedDiv.examples[1]
  local rowContent = { {{ exampleLine }} }
  -- set dimensions
  local nCols = 1
  local nRows = 1
  local judgeCol = 1
  -- add judgements
  local judgement = parsedDiv.judgements[1]
  if judgement ~= nil then 
    rowContent = addCol ( rowContent )
    nCols = nCols + 1
    judgeCol = judgeCol + 1
    rowContent[1][1][1] = pandoc.Plain(judgement)
  end
  -- add preamble
  local preamble = parsedDiv.preamble
  if preamble ~= nil then
    if judgement ~= nil then
      table.insert(rowContent, 1, { {}, { preamble } } )
    else
      table.insert(rowContent, 1, {{ preamble }} )
    end
    nRows = nRows + 1
  end
  -- add number column
  rowContent = addCol(rowContent)
  nCols = nCols + 1

  -- make into table
  local example = turnIntoTable(rowContent, nCols, judgeCol)

  -- set class of content
  example.bodies[1].body[nRows].cells[nCols].attr = {class = "linguistic-example-content"}
  -- set class of preamble
  if preamble ~= nil then
    example.bodies[1].body[1].cells[nCols].attr = {class = "linguistic-example-preamble"}
  end
  -- set class of judgment
  if judgeCol > 1 then
    example.bodies[1].body[nRows].cells[judgeCol].attr = {class = "linguistic-example-judgement"}
  end

  return example
end

function pandocMakeTable (parsedDiv)

  -- The user's table is in parsedDiv.examples[1]
  local userTable = parsedDiv.examples[1]
  
  -- Create a wrapper structure: we'll put the table in a cell
  local nCols = 1
  local nRows = 1
  local rowContent = { {{ userTable }} }
  
  -- add preamble if present
  local preamble = parsedDiv.preamble
  if preamble ~= nil then
    table.insert(rowContent, 1, {{ preamble }} )
    nRows = nRows + 1
  end
  
  -- add number column
  rowContent = addCol(rowContent)
  nCols = nCols + 1

  -- make into table
  local example = turnIntoTable(rowContent, nCols, 0)

  -- set class of content
  example.bodies[1].body[nRows].cells[nCols].attr = {class = "linguistic-example-table-content"}
  -- set class of preamble
  if preamble ~= nil then
    example.bodies[1].body[1].cells[nCols].attr = {class = "linguistic-example-preamble"}
  end

  return example
end

function pandocMakeInterlinear (parsedDiv, label, forceJudge)

  -- basic content
  local selection = 1
  if label ~= nil then
    selection = label
  end
  local interlinear = parsedDiv.examples[selection]
  
  local header = {{ interlinear.header }}
  -- Check if header is present AND has meaningful content (not just empty/whitespace)
  local headerPresent = false
  if interlinear.header.content[1] ~= nil then
    local headerText = pandoc.utils.stringify(interlinear.header)
    headerPresent = headerText:match("%S") ~= nil  -- has non-whitespace
  end
  local header2 = interlinear.header2 and {{ interlinear.header2 }} or nil
  local header2Present = header2 ~= nil and interlinear.header2.content[1] ~= nil
  local source = interlinear.source 
  for i=1,#source do source[i] = { source[i] } end
  local gloss =  interlinear.gloss 
  for i=1,#gloss do gloss[i] = { gloss[i] } end
  local trans = {{ interlinear.trans  }}
  
  local rowContent = { trans }
    table.insert(rowContent, 1, gloss )
    table.insert(rowContent, 1, source )
  if header2Present then
    table.insert(rowContent, 1, header2 )
  end
  if headerPresent then
    table.insert(rowContent, 1, header )
  end
  -- set dimensions
  local nCols = #source
  local nRows = #rowContent
  local judgeCol = 0
  -- add judgements
  local judgement = parsedDiv.judgements[selection]
    if judgement ~= nil or forceJudge then 
      rowContent = addCol ( rowContent )
      nCols =  nCols + 1
      judgeCol = judgeCol + 2
      if judgement == nil then judgement = "" end
      -- Place judgement on the source row
      local sourceRow = 1
      if headerPresent then sourceRow = sourceRow + 1 end
      if header2Present then sourceRow = sourceRow + 1 end
      rowContent[sourceRow][1][1] = pandoc.Plain(judgement)
    end
  -- add labels
  if label ~= nil then
    rowContent = addCol(rowContent)
    rowContent[1][1][1] = pandoc.Plain(string.char(96+label)..".")
    nCols = nCols + 1
    judgeCol = judgeCol + 1
  end
  -- add preamble
  local preamble = parsedDiv.preamble
  if label ~= nil and label > 1 then
    preamble = nil -- Only remove for subexamples, but keep it for the first one
  end
  if preamble ~= nil then
    table.insert(rowContent, 1, {{ preamble }} )
    nRows = nRows + 1
  end
  -- add number column
  rowContent = addCol(rowContent)
  nCols = nCols + 1
  
  -- make into table
  local example = turnIntoTable(rowContent, nCols, judgeCol)

  local ps = 0 --preambleshift
  local ls = 0 --labelshift
  local hs = 0 --headershift
  local h2s = 0 --header2shift
  local js = 0 --judgementshift
  if judgeCol > 1 then js = 1 end

  -- set class of preamble and extend cell
  if preamble ~= nil then
    ps = 1
    example.bodies[1].body[1].cells[2].attr = {class = "linguistic-example-preamble"}
    example.bodies[1].body[1].cells[2].col_span = nCols - 1
  end
  -- set class of label
  if label ~= nil then
    ls = 1
    if preamble ~= nil then
      example.bodies[1].body[2].cells[1+ps].attr = {class = "linguistic-example-label"}
    else
      example.bodies[1].body[1].cells[2+ps].attr = {class = "linguistic-example-label"}
    end
  end
  -- set class of header and extend cell
  if headerPresent then
    hs = 1
    example.bodies[1].body[1+ps].cells[2+ls+js].attr = {class =  "linguistic-example-header linguistic-example-content"}
    example.bodies[1].body[1+ps].cells[2+ls+js].col_span = nCols-1-ls-js
  end
  -- set class of header2 and extend cell
  if header2Present then
    h2s = 1
    example.bodies[1].body[1+ps+hs].cells[2+ls+js].attr = {class =  "linguistic-example-header linguistic-example-content"}
    example.bodies[1].body[1+ps+hs].cells[2+ls+js].col_span = nCols-1-ls-js
  end
  -- set class of translation and extend cell
  example.bodies[1].body[nRows].cells[2+ls+js].attr = {class = "linguistic-example-translation linguistic-example-content"}
  example.bodies[1].body[nRows].cells[2+ls+js].col_span = nCols-1-ls-js
  -- set class of judgment
  if judgeCol > 1 then
    example.bodies[1].body[1+hs+h2s+ps].cells[2+ls].attr = {class = "linguistic-example-judgement"}
  end
  -- set class of source and gloss
  local ssCol = 3 + ls -- sourcestart columns
  local ssRow = 1 + hs + h2s + ps -- sourcestart row
  for i=ssCol,nCols do
    example.bodies[1].body[ssRow].cells[i].attr = {class = "linguistic-example-source linguistic-example-content"}
    example.bodies[1].body[ssRow+1].cells[i].attr = {class = "linguistic-example-gloss linguistic-example-content"}
  end

  return example
end

function pandocMakeList (parsedDiv, from, to, forceJudge)
  -- for a group of subsequent single examples
  local lines = parsedDiv.examples
  local judgements = parsedDiv.judgements

  if from == nil then from = 1 end
  if to == nil then to = #lines end

  -- basic content
  local rowContent = { {{ lines[from] }} }
  for i=from+1,to do
    table.insert(rowContent, {{ lines[i] }} )
  end
  -- set dimensions
  local nCols = 1
  local nRows = #rowContent
  local judgeCol = 0
  -- add judgements
  for i=from,to do
    if judgements[i] ~= nil or forceJudge then 
      rowContent = addCol ( rowContent )
      nCols =  nCols + 1
      judgeCol = judgeCol + 2
      break
    end
  end
  for i=from,to do
    if judgements[i] ~= nil then
      rowContent[i][1][1] = pandoc.Plain(judgements[i])
    end
  end
  -- add labels
  local labels = {}
  for i=from,to do 
    local label = pandoc.Str(string.char(96+i)..".")
    table.insert(rowContent[i - from + 1], 1, { pandoc.Plain(label) })
  end
    nCols = nCols + 1
    judgeCol = judgeCol + 1
  -- add preamble
  local preamble = parsedDiv.preamble
  if from ~= 1 then preamble = nil end
  if preamble ~= nil then
    table.insert(rowContent, 1, {{ preamble }} )
    nRows = nRows + 1
  end
  -- add number column
  rowContent = addCol(rowContent)
  nCols = nCols + 1

  -- make into table
  local example = turnIntoTable(rowContent, nCols, judgeCol)
  
  -- set class of content and labels
  local start = 1
  if preamble ~= nil then start = 2 end
  for i=start,nRows do
    example.bodies[1].body[i].cells[nCols].attr = {class = "linguistic-example-content"}
    example.bodies[1].body[i].cells[2].attr = {class = "linguistic-example-label"}
  end
  -- set class of judgment
  if judgeCol > 1 then
    for i=start,#example.bodies[1].body do
      example.bodies[1].body[i].cells[judgeCol].attr = {class = "linguistic-example-judgement"}
    end
  end
  -- set class of preamble and extend cell
  if preamble ~= nil then
    example.bodies[1].body[1].cells[2].attr = {class = "linguistic-example-preamble"}
    example.bodies[1].body[1].cells[2].col_span = nCols - 1
  end

  return example
end

function pandocMakeTableSubexample (parsedDiv, label, forceJudge)

  -- For table sub-examples in mixed lists
  -- The table data includes both the table and optional preamble
  local selection = label or 1
  local tableData = parsedDiv.examples[selection]
  
  -- Extract the table and preamble
  local userTable, subPreamble
  if type(tableData) == "table" and tableData.table then
    -- This is a table with preamble structure
    userTable = tableData.table
    subPreamble = tableData.preamble
  else
    -- Just a plain table
    userTable = tableData
    subPreamble = nil
  end
  
  -- Build the table structure
  local nCols = 1
  local nRows = 1
  local rowContent = { {{ userTable }} }
  
  -- Add label column (a, b, c, etc.)
  local labelText = string.char(96 + selection).."."
  local labelContent = pandoc.Plain(pandoc.Str(labelText))
  
  -- Add judgement column (empty for tables, but needed for alignment)
  local judgeCol = 0
  if forceJudge then
    judgeCol = 1
    nCols = nCols + 1
    rowContent = addCol(rowContent)
    rowContent[1][1][1] = pandoc.Plain({})
  end
  
  -- Add label column
  rowContent = addCol(rowContent)
  nCols = nCols + 1
  local labelColNum = judgeCol + 1
  rowContent[1][labelColNum][1] = labelContent
  
  -- Add preamble if present - show it inline with the label
  if subPreamble and pandoc.utils.stringify(subPreamble) ~= "" then
    -- Put the preamble in the same row as the label, in the content column
    rowContent[1][nCols][1] = subPreamble
    -- Add the table in a new row, with empty cells for alignment
    nRows = nRows + 1
    local newRow = {}
    for col = 1, nCols do
      if col == nCols then
        newRow[col] = { userTable }
      else
        newRow[col] = {}
      end
    end
    table.insert(rowContent, newRow)
  end
  
  -- make into table
  local example = turnIntoTable(rowContent, nCols, judgeCol)

  -- set class of label
  example.bodies[1].body[1].cells[labelColNum].attr = {class = "linguistic-example-label"}
  
  -- set class of content
  if subPreamble and pandoc.utils.stringify(subPreamble) ~= "" then
    example.bodies[1].body[1].cells[nCols].attr = {class = "linguistic-example-preamble"}
    example.bodies[1].body[nRows].cells[nCols].attr = {class = "linguistic-example-table-content"}
  else
    example.bodies[1].body[1].cells[nCols].attr = {class = "linguistic-example-table-content"}
  end

  return example
end

-----------------------------------------

function pandocMakeMixedList (parsedDiv)

  -- mix of interlinear and (groups of) single examples
  -- returns a list of tables
  local result        = {}
  local isInterlinear = {} -- whether result at index i is an interlinear example
  local resultCount = 1
  local from = 1

  -- harmonize judgementcolumn across tables, possibly forced
  local judgements = parsedDiv.judgements
  local judgeSize = 0
  local forceJudge = false 
  for _, judgement in pairs(judgements) do
    local text = pandoc.utils.stringify(judgement)
    judgeSize = math.max(judgeSize, utf8.len(text))
  end
  -- if judgeSize > 0 then 
    forceJudge = true
  -- end

  for i=1,#parsedDiv.kind do
    if parsedDiv.kind[i] == "interlinear" then
      local label = i
      result[resultCount]        = pandocMakeInterlinear(parsedDiv, label, forceJudge)
      -- Set ID attribute if this sub-example has an ID
      if parsedDiv.subExIDs and parsedDiv.subExIDs[i] then
        result[resultCount].attr = pandoc.Attr(parsedDiv.subExIDs[i], {"linguistic-example"})
      end
      isInterlinear[resultCount] = true
      resultCount = resultCount + 1
    elseif parsedDiv.kind[i] == "table" then
      -- Handle table examples (with optional preamble for sub-examples)
      local label = i
      result[resultCount]        = pandocMakeTableSubexample(parsedDiv, label, forceJudge)
      isInterlinear[resultCount] = false
      resultCount = resultCount + 1
    elseif parsedDiv.kind[i] == "single" then
      if i==1 or parsedDiv.kind[i-1] ~= "single" then
        from = i
      end
      if parsedDiv.kind[i+1] ~= "single" then
        local to = i
        result[resultCount]        = pandocMakeList(parsedDiv, from, to, forceJudge)
        -- For single-line list, check if any items have IDs (just use first for now)
        if parsedDiv.subExIDs and parsedDiv.subExIDs[from] then
          result[resultCount].attr = pandoc.Attr(parsedDiv.subExIDs[from], {"linguistic-example"})
        end
        isInterlinear[resultCount] = false
        resultCount = resultCount + 1
      end
    end
  end

  -- rough approximations to align multiple tables
  local spaceForNumber = string.rep(" ", 2*(string.len(parsedDiv.number)+1))
  local spaceForJudge = tostring(15 + 5*judgeSize)
  
  for i=1,#result do
    -- For better alignment with example number
    -- add invisibles in first column 
    -- not a very elegant solution, but portable across formats
    if isInterlinear[1] and i == 1 then
      result[i].bodies[1].body[2].cells[1].contents[1] = pandoc.Plain(spaceForNumber)
    else
      result[i].bodies[1].body[1].cells[1].contents[1] = pandoc.Plain(spaceForNumber)
    end
    -- For even better alignment, add column-width to judgement column
    -- note: this is probably not portable outside html
    if forceJudge  then
      if isInterlinear[i] then
        result[i].bodies[1].body[2].cells[3].attr = 
          pandoc.Attr(nil, { "linguistic-judgement" }, { width = spaceForJudge.."px"} )
      else
        local row = 1
        if i == 1 and parsedDiv.preamble ~= nil then
          row = 2
        end
        result[i].bodies[1].body[row].cells[3].attr = 
          pandoc.Attr(nil, { "linguistic-judgement" }, { width = spaceForJudge.."px"} )
      end
    end
  end
  return result
end

--------------------------------------
-- helper functions to format examples
--------------------------------------

function addCol (lines)
  for i=1,#lines do
    table.insert(lines[i], 1, {})
  end
  return lines
end

function sLength (j)
  if j == nil then
    return 0
  else
    return utf8.len(pandoc.utils.stringify(j)) 
  end
end

-------------------------------

function turnIntoTable (rowContent, nCols, judgeCol)
  -- turn examples into Tables for alignment
  -- use simpleTable for construction
  local caption = {}
  local headers = {}
  local aligns = {}
    for i=1,nCols do aligns[i] = "AlignLeft" end
    aligns[1] = "AlignDefault"
    if judgeCol > 1 then
      aligns[judgeCol] = "AlignRight" -- Column for grammaticality judgements
    end
  local widths = {}
    for i=1,nCols do widths[i] = 0 end
  local rows = rowContent

  local result = pandoc.SimpleTable(
      caption,
      aligns,
      widths,
      headers,
      rows
  )
  -- turn into fancy new tables
  result = pandoc.utils.from_simple_table(result)

  -- set class of table to "example" for styling via CSS
  result.attr = { class = "linguistic-example" }

  return result
end

--------------------------
-- make markup in Latex
--------------------------

-- convenience functions for Latex

function texFront (tex, pndc)
  return table.insert(pndc, 1, pandoc.RawInline("tex", tex))
end

function texEnd (tex, pndc)
  return table.insert(pndc, pandoc.RawInline("tex", tex))
end

function texCombine (separated)
  -- to align source/gloss they are separated
  -- for Latex, they have to returned to one object
  local result = pandoc.List()
  for i=1,#separated do 
    separated[i]=separated[i].content
    table.insert(separated[i], pandoc.Space())
    result:extend(separated[i])
  end
  return(result)
end

function texSquashMulti (multi)
  -- for 'noFormat' content
  local result = pandoc.List()
  if multi.tag == "Div" then
    for i=1,#multi.content do
      result:extend(multi.content[i].content)
      texEnd("\\\\\n  ", result)
    end
  else
    result = multi.content
  end
  return result
end

function texMakeTabular (tbl)
  -- Convert a Pandoc Table to simple LaTeX tabular environment
  -- No borders, no rules, just alignment
  
  local result = pandoc.List()
  
  -- Determine column alignments from table spec
  local colSpec = "@{}"
  for i = 1, #tbl.colspecs do
    local align = tbl.colspecs[i][1]
    if align == "AlignLeft" then
      colSpec = colSpec .. "l"
    elseif align == "AlignRight" then
      colSpec = colSpec .. "r"
    elseif align == "AlignCenter" then
      colSpec = colSpec .. "c"
    else
      colSpec = colSpec .. "l"  -- default to left
    end
  end
  colSpec = colSpec .. "@{}"
  
  -- Start tabular with column specification
  result:insert(pandoc.RawInline('latex', '\\begin{tabular}[t]{' .. colSpec .. '}\n'))
  
  -- Process header if present
  if tbl.head and tbl.head.rows and #tbl.head.rows > 0 then
    for _, row in ipairs(tbl.head.rows) do
      local cells = {}
      for _, cell in ipairs(row.cells) do
        -- Extract cell content as plain text/inlines
        local cellContent = pandoc.List()
        for _, block in ipairs(cell.contents) do
          if block.content then
            cellContent:extend(block.content)
          end
        end
        table.insert(cells, cellContent)
      end
      -- Build row
      for i, cell in ipairs(cells) do
        result:extend(cell)
        if i < #cells then
          result:insert(pandoc.RawInline('latex', ' & '))
        end
      end
      result:insert(pandoc.RawInline('latex', '\\\\\n'))
    end
  end
  
  -- Process body rows
  if tbl.bodies and #tbl.bodies > 0 then
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local cells = {}
        for _, cell in ipairs(row.cells) do
          local cellContent = pandoc.List()
          for _, block in ipairs(cell.contents) do
            if block.content then
              cellContent:extend(block.content)
            end
          end
          table.insert(cells, cellContent)
        end
        -- Build row
        for i, cell in ipairs(cells) do
          result:extend(cell)
          if i < #cells then
            result:insert(pandoc.RawInline('latex', ' & '))
          end
        end
        result:insert(pandoc.RawInline('latex', '\\\\\n'))
      end
    end
  end
  
  -- End tabular
  result:insert(pandoc.RawInline('latex', '\\end{tabular}'))
  
  return result
end

-- send request to different packages

function texMakeExample (parsedDiv)
  local result
  if latexPackage == "expex" then
    result = texMakeExpex(parsedDiv)
  elseif latexPackage == "linguex" then
    result = texMakeLinguex(parsedDiv)
  elseif latexPackage == "gb4e" then
    result = texMakeGb4e(parsedDiv)
  elseif latexPackage == "langsci-gb4e" then
    result = texMakeLangsci(parsedDiv)
  end
  return result
end

-------------------------
-- Different tex packages
-------------------------

function texMakeExpex (parsedDiv)

  -- prepare parsed chunks
  local kind = parsedDiv.kind
  local ID = parsedDiv.exID
  local preamble = parsedDiv.preamble
  local judgements = parsedDiv.judgements
  local line, header, source, gloss, trans

  if preamble == nil then 
    preamble = pandoc.List() 
  else 
    preamble = preamble.content
    texEnd("\\\\*", preamble)
  end

  local judgeMax = ""
  for i=1,#kind do
    if sLength(judgements[i]) > sLength(judgeMax) then
      judgeMax = judgements[i]
    end
  end
  local judgeOffset = "[*="..string.gsub(pandoc.utils.stringify(judgeMax), "([#$%%&_{}~^])", "\\%1").."]"

  for i=1,#kind do
    if judgements[i] == nil then 
      judgements[i] = { pandoc.RawInline("tex","") }
    elseif #kind == 1 and kind[1] == "single" then
      judgements[i] = { judgements[i] }
      texFront("\n  \\judge{", judgements[i])
      texEnd("} ", judgements[i])
    else
      judgements[i] = { judgements[i] }
      texFront("\\ljudge{", judgements[i])
      texEnd("}", judgements[i])
    end
  end

  -- build Latex code starting with preamble and adding rest to it

  if #kind == 1 and kind[1] == "single" then
    texFront("\\ex<"..ID.."> ", preamble)
  elseif #kind ==1 and kind[1] == "interlinear" then
    texFront("\\ex"..judgeOffset.."<"..ID.."> ", preamble)
  else
    texFront("\\pex"..judgeOffset.."<"..ID.."> ", preamble)
  end
  if samePage == true then
    texFront("\\begin{samepage}\n", preamble)
  else  
    texFront("", preamble)
  end

  for i=1,#kind do
    if kind[i] == "single" then

      line = texSquashMulti(parsedDiv.examples[i])

      if #kind > 1 then 
        texFront("\n  \\a ", judgements[i])
      else 
        texFront("\n  ", judgements[i])
      end

      preamble:extend(judgements[i])
      preamble:extend(line)

    elseif kind[i] == "interlinear" then

      header = parsedDiv.examples[i].header.content
      local header2 = parsedDiv.examples[i].header2 and parsedDiv.examples[i].header2.content or nil
      source = parsedDiv.examples[i].source
      gloss  = parsedDiv.examples[i].gloss
      trans  = parsedDiv.examples[i].trans.content
      
      source = texCombine(source)
      gloss  = texCombine(gloss)

      if pandoc.utils.stringify(header) == "" then
        header = pandoc.List()
      else
        texFront("\n  \\glpreamble ", header)
        texEnd("//", header)
      end
      
      if header2 and pandoc.utils.stringify(header2) == "" then
        header2 = nil
      elseif header2 then
        texFront("\n  \\glpreamble ", header2)
        texEnd("//", header2)
      end

      if #kind > 1 then 
        texEnd("\n  \\a ", preamble)
      end 

      texEnd("\n  \\begingl", preamble)
      preamble:extend(header)
      
      -- Add second header if present
      if header2 then
        preamble:extend(header2)
      end
      
      texFront("\n  \\gla ", judgements[i])
      preamble:extend(judgements[i])
      texEnd("//", source)
      preamble:extend(source)
      texFront("\n  \\glb ", gloss)
      texEnd("//", gloss)
      preamble:extend(gloss)
      texFront("\n  \\glft ", trans)
      texEnd("//", trans)
      preamble:extend(trans)
      texEnd("\n  \\endgl", preamble)

    elseif kind[i] == "table" then
      -- Convert the Pandoc Table to simple tabular
      local tableData = parsedDiv.examples[i]
      local actualTable = tableData.table or tableData
      local tablePreamble = tableData.preamble and tableData.preamble.content or nil
      
      if #kind > 1 then
        if tablePreamble then
          texFront("\n  \\a ", tablePreamble)
          texEnd("\\\\*", tablePreamble)
          preamble:extend(tablePreamble)
          texEnd("\n  ", preamble)
        else
          texEnd("\n  \\a ", preamble)
        end
      else
        -- Standalone table: add line break after preamble if present
        if parsedDiv.preamble then
          texEnd("\\\\*", preamble)
        end
        texEnd("\n  ", preamble)
      end
      
      local tabular = texMakeTabular(actualTable)
      preamble:extend(tabular)
    end
  end
  if samePage == true then
    texEnd("\n\\xe\n\\end{samepage}", preamble)
  else
    texEnd("\n\\xe", preamble)
  end
  return pandoc.Plain(preamble)
end

----------------------

function texMakeLinguex (parsedDiv)

  -- prepare parsed chunks
  local kind = parsedDiv.kind
  local ID = parsedDiv.exID
  local preamble = parsedDiv.preamble
  local judgements = parsedDiv.judgements
  local line, header, source, gloss, trans

  if preamble == nil then 
    preamble = pandoc.List() 
  else 
    preamble = preamble.content
    if #kind == 1 and kind[1] == "single" then
      texEnd("\\\\*", preamble)
    end
  end

  for i=1,#kind do
    if judgements[i] == nil then 
      judgements[i] = { pandoc.RawInline("tex","") }
    else
      judgements[i] = { judgements[i] }
      --texFront("\\jdg{", judgements[i])
      --texEnd("}", judgements[i])
    end
  end

  -- build Latex code starting with preamble and adding rest to it
  if samePage == true then
    texFront("\\begin{samepage}\n\n\\ex. \\label{"..ID.."} ", preamble)
  else
    texFront("\n\\ex. \\label{"..ID.."} ", preamble)
  end

  for i=1,#kind do
    if kind[i] == "single" then

      line = texSquashMulti(parsedDiv.examples[i])

      if #kind > 1 and i == 1 then 
        texFront("\n  \\a. ", judgements[i])
      elseif #kind > 1 and i > 1 then
        texFront("\n  \\b. ", judgements[i])
      else
        texFront("\n  ", judgements[i])
      end

      preamble:extend(judgements[i])
      preamble:extend(line)

    elseif kind[i] == "interlinear" then

      header = parsedDiv.examples[i].header.content
      local header2 = parsedDiv.examples[i].header2 and parsedDiv.examples[i].header2.content or nil
      source = parsedDiv.examples[i].source
      gloss  = parsedDiv.examples[i].gloss
      trans  = parsedDiv.examples[i].trans.content
      
      source = texCombine(source)
      gloss  = texCombine(gloss)

      local headerEmpty = pandoc.utils.stringify(header) == ""
      if headerEmpty then
        header = pandoc.List()
      end
      
      if header2 and pandoc.utils.stringify(header2) == "" then
        header2 = nil
      end

      if #kind > 1 and i == 1 then 
        texFront("\n  \\a. ", header)
      elseif #kind > 1 and i > 1 then
        texFront("\n  \\b. ", header)
      --else
      --  texFront("\n  ", header)
      end
      
      -- Add line break after first header if there's a second header AND header is not empty
      if header2 and not headerEmpty then
        texEnd("\\\\", header)
      end

      preamble:extend(header)
      
      -- Add second header if present
      if header2 then
        texFront("\n      ", header2)
        preamble:extend(header2)
      end
      
      texFront("\n  \\gll ", judgements[i])
      preamble:extend(judgements[i])
      texEnd("\\\\", source)
      preamble:extend(source)
      texFront("\n       ", gloss)
      texEnd("\\\\", gloss)
      preamble:extend(gloss)
      texFront("\n  \\glt ", trans)
      preamble:extend(trans)

    elseif kind[i] == "table" then
      -- Convert the Pandoc Table to simple tabular
      local tableData = parsedDiv.examples[i]
      local actualTable = tableData.table or tableData
      local tablePreamble = tableData.preamble and tableData.preamble.content or nil
      
      -- Add label for multi-part examples
      if #kind > 1 and i == 1 then
        if tablePreamble then
          texFront("\n  \\a. ", tablePreamble)
          texEnd("\\\\", tablePreamble)
          preamble:extend(tablePreamble)
          texEnd("\n  ", preamble)
        else
          texEnd("\n  \\a. ", preamble)
        end
      elseif #kind > 1 and i > 1 then
        if tablePreamble then
          texFront("\n  \\b. ", tablePreamble)
          texEnd("\\\\", tablePreamble)
          preamble:extend(tablePreamble)
          texEnd("\n  ", preamble)
        else
          texEnd("\n  \\b. ", preamble)
        end
      else
        -- Standalone table: add line break after preamble if present
        if parsedDiv.preamble then
          texEnd("\\\\", preamble)
        end
      end
      
      local tabular = texMakeTabular(actualTable)
      preamble:extend(tabular)
    end
  end
  if samePage == true then
    texEnd("\n\n\\end{samepage}", preamble)
  else
    texEnd("\n", preamble)
  end
  return pandoc.Plain(preamble)
end

----------------------

function texMakeGb4e (parsedDiv)

  -- prepare parsed chunks
  local kind = parsedDiv.kind
  local ID = parsedDiv.exID
  local preamble = parsedDiv.preamble
  local nopreamble
  local judgements = parsedDiv.judgements
  local line, header, source, gloss, trans

  if preamble == nil then 
    preamble = pandoc.List() 
    nopreamble = true
  else 
    preamble = preamble.content
  end

  local judgeMax = ""
  for i=1,#kind do
    if sLength(judgements[i]) > sLength(judgeMax) then
      judgeMax = judgements[i]
    end
  end
  local judgeOffset = "\\judgewidth{"..string.gsub(pandoc.utils.stringify(judgeMax), "([#$%%&_{}~^])", "\\%1").."}"

  for i=1,#kind do
    if judgements[i] == nil then 
      judgements[i] = { pandoc.RawInline("tex","[] { ") }
    else
      judgements[i] = { judgements[i] }
      texFront("[", judgements[i])
      texEnd("] { ", judgements[i])
    end
  end

  -- build Latex code starting with preamble and adding rest to it
  if samePage == true then
    texFront("\\begin{samepage}\n\\begin{exe} "..judgeOffset.."\n  \\ex ", preamble)
  else
    texFront("\\begin{exe} "..judgeOffset.."\n  \\ex ", preamble)
  end

  for i=1,#kind do
    if kind[i] == "single" then

      line = texSquashMulti(parsedDiv.examples[i])
      
      if #kind > 1 and i == 1 then 
        texFront("\n  \\begin{xlist}\n  \\ex ", judgements[i])
      elseif #kind > 1 and i > 1 then
        texFront("\n  \\ex ", judgements[i])
      elseif #kind ==1 and nopreamble then
          texFront("", judgements[i])
      else
          texFront("\n  \\sn ", judgements[i])
      end
      
      preamble:extend(judgements[i])
      preamble:extend(line)
      texEnd(" }", preamble)

    elseif kind[i] == "interlinear" then

      header = parsedDiv.examples[i].header.content
      local header2 = parsedDiv.examples[i].header2 and parsedDiv.examples[i].header2.content or nil
      source = parsedDiv.examples[i].source
      gloss  = parsedDiv.examples[i].gloss
      trans  = parsedDiv.examples[i].trans.content
      
      source = texCombine(source)
      gloss  = texCombine(gloss)

      if pandoc.utils.stringify(header) == "" then
        header = pandoc.List()
      else 
        texFront("\n       ", header)
        -- Add line break after first header if there's a second header
        if header2 then
          texEnd("\\\\", header)
        end
      end
      
      if header2 and pandoc.utils.stringify(header2) == "" then
        header2 = nil
      elseif header2 then
        texFront("\n       ", header2)
      end

      if #kind > 1 and i == 1 then 
        texFront("\n      \\begin{xlist}\n  \\ex ", judgements[i])
      elseif #kind > 1 and i > 1 then
        texFront("\n  \\ex ", judgements[i])
      else
        texFront("", judgements[i])
      end

      preamble:extend(judgements[i])
      preamble:extend(header)
      
      -- Add second header if present
      if header2 then
        preamble:extend(header2)
      end
      
      texFront("\n  \\gll ", source)
      texEnd("\\\\", source)
      preamble:extend(source)
      texFront("\n       ", gloss)
      texEnd("\\\\", gloss)
      preamble:extend(gloss)
      texFront("\n  \\glt ", trans)
      preamble:extend(trans)
      texEnd(" }", preamble)

    elseif kind[i] == "table" then
      -- Convert the Pandoc Table to simple tabular
      local tableData = parsedDiv.examples[i]
      local actualTable = tableData.table or tableData
      local tablePreamble = tableData.preamble and tableData.preamble.content or nil
      
      -- Add label for multi-part examples
      if #kind > 1 and i == 1 then
        if tablePreamble then
          texFront("\n      \\begin{xlist}\n  \\ex ", tablePreamble)
          texEnd("\\\\", tablePreamble)
          preamble:extend(tablePreamble)
          texEnd("\n  ", preamble)
        else
          texEnd("\n      \\begin{xlist}\n  \\ex ", preamble)
        end
      elseif #kind > 1 and i > 1 then
        if tablePreamble then
          texFront("\n  \\ex ", tablePreamble)
          texEnd("\\\\", tablePreamble)
          preamble:extend(tablePreamble)
          texEnd("\n  ", preamble)
        else
          texEnd("\n  \\ex ", preamble)
        end
      else
        -- Standalone table: add line break after preamble if present
        if parsedDiv.preamble then
          texEnd("\\\\", preamble)
        end
        texEnd("\n  ", preamble)
      end
      
      local tabular = texMakeTabular(actualTable)
      preamble:extend(tabular)
    end
  end
  if #kind > 1 then texEnd("\n  \\end{xlist}", preamble) end
  if samePage == true then
    texEnd("\n  \\label{"..ID.."}\n\\end{exe}\n\\end{samepage}", preamble)
  else
    texEnd("\n  \\label{"..ID.."}\n\\end{exe}", preamble)
  end
  return pandoc.Plain(preamble)
end

----------------------

function texMakeLangsci (parsedDiv)

  -- prepare parsed chunks
  local kind = parsedDiv.kind
  local ID = parsedDiv.exID
  local preamble = parsedDiv.preamble
  local nopreamble
  local judgements = parsedDiv.judgements
  local line, header, source, gloss, trans

  if preamble == nil then 
    preamble = pandoc.List() 
    nopreamble = true
  else 
    preamble = preamble.content
  end

  local judgeMax = ""
  for i=1,#kind do
    if sLength(judgements[i]) > sLength(judgeMax) then
      judgeMax = judgements[i]
    end
  end
  local judgeOffset = "\\judgewidth{"..string.gsub(pandoc.utils.stringify(judgeMax), "([#$%%&_{}~^])", "\\%1").."}"

  for i=1,#kind do
    if judgements[i] == nil then
      if #kind == 1 and kind[1] == "single" then
        judgements[i] = { pandoc.RawInline("tex","") }
      else
        judgements[i] = { pandoc.RawInline("tex","[] { ") }
      end
    else
      judgements[i] = { judgements[i] }
      if #kind > 1 or kind[1] == "interlinear" then
        texFront("[", judgements[i])
        texEnd("] { ", judgements[i])
      end
    end
  end

  -- build Latex code starting with preamble and adding rest to it
  if #kind == 1 and kind[1] == "interlinear" then
    texFront("\\ea ", judgements[1])
    local tmp = pandoc.List()
    tmp:extend(judgements[1])
    texFront(judgeOffset.." \\label{"..ID.."} ", preamble)
    tmp:extend(preamble)
    preamble = tmp
  else
    texFront("\\ea "..judgeOffset.." \\label{"..ID.."} ", preamble)
  end
  if samePage == true then
    texFront("\\begin{samepage}\n", preamble)
  else
    texFront("", preamble)
  end

  for i=1,#kind do
    if kind[i] == "single" then

      line = texSquashMulti(parsedDiv.examples[i])
      
      if #kind == 1 and nopreamble ~= true then
        texEnd("\\\\*", preamble)
      end

      if #kind > 1 and i == 1 then 
        texFront("\n  \\ea ", judgements[i])
      elseif #kind > 1 and i > 1 then
        texFront("\n  \\ex ", judgements[i])
      else
        texFront("\n  ", judgements[i])
      end
      
      preamble:extend(judgements[i])
      preamble:extend(line)

      if #kind > 1 then
        texEnd(" }", preamble)
      end

    elseif kind[i] == "interlinear" then

      header = parsedDiv.examples[i].header.content
      local header2 = parsedDiv.examples[i].header2 and parsedDiv.examples[i].header2.content or nil
      source = parsedDiv.examples[i].source
      gloss  = parsedDiv.examples[i].gloss
      trans  = parsedDiv.examples[i].trans.content
      
      source = texCombine(source)
      gloss  = texCombine(gloss)

      if pandoc.utils.stringify(header) == "" then
        header = pandoc.List()
      else 
        texFront("\n       ", header)
        texEnd("\\\\*", header)
      end
      
      if header2 and pandoc.utils.stringify(header2) == "" then
        header2 = nil
      elseif header2 then
        texFront("\n       ", header2)
        texEnd("\\\\*", header2)
      end

      if #kind > 1 and i == 1 then 
        texFront("\n  \\ea ", judgements[i])
        preamble:extend(judgements[i])
      elseif #kind > 1 and i > 1 then
        texFront("\n  \\ex ", judgements[i])
        preamble:extend(judgements[i])
      end

      preamble:extend(header)
      
      -- Add second header if present
      if header2 then
        preamble:extend(header2)
      end
      
      texFront("\n  \\gll ", source)
      texEnd("\\\\", source)
      preamble:extend(source)
      texFront("\n       ", gloss)
      texEnd("\\\\", gloss)
      preamble:extend(gloss)
      texFront("\n  \\glt ", trans)
      preamble:extend(trans)
      texEnd(" }", preamble)

    elseif kind[i] == "table" then
      -- Convert the Pandoc Table to simple tabular
      local tableData = parsedDiv.examples[i]
      local actualTable = tableData.table or tableData
      local tablePreamble = tableData.preamble and tableData.preamble.content or nil
      
      -- Add label for multi-part examples
      if #kind > 1 and i == 1 then
        if tablePreamble then
          texFront("\n  \\ea ", tablePreamble)
          texEnd("\\\\", tablePreamble)
          preamble:extend(tablePreamble)
          texEnd("\n  ", preamble)
        else
          texEnd("\n  \\ea ", preamble)
        end
      elseif #kind > 1 and i > 1 then
        if tablePreamble then
          texFront("\n  \\ex ", tablePreamble)
          texEnd("\\\\", tablePreamble)
          preamble:extend(tablePreamble)
          texEnd("\n  ", preamble)
        else
          texEnd("\n  \\ex ", preamble)
        end
      else
        -- Standalone table: add line break after preamble if present
        if parsedDiv.preamble then
          texEnd("\\\\", preamble)
        end
        texEnd("\n  ", preamble)
      end
      
      local tabular = texMakeTabular(actualTable)
      preamble:extend(tabular)
    end
  end
  if #kind > 1 then texEnd("\n  \\z", preamble) end
  if samePage == true then
    texEnd("\n\\z\n\\end{samepage}", preamble)
  else
    texEnd("\n\\z", preamble)
  end
  return pandoc.Plain(preamble)
end

-------------------------
-- format crossreferences
-------------------------

function uniqueNextrefs (cite)

  -- to resolve "Next"-style references give them all an unique ID
  -- make indices to check in which order they occur
  local nameN = string.match(cite.content[1].text, "([n]+)ext")
  local nameL = string.match(cite.content[1].text, "([l]+)ast")
  local target = string.match(cite.content[1].text, "@Target")

  -- use random ID to make unique
  if nameN ~= nil or nameL ~= nil then
    cite.citations[1].id = tostring(math.random(99999))
  end

  -- make indices
  if nameN ~= nil or nameL ~= nil or target ~= nil then
    orderInText = orderInText + 1
    indexRef[orderInText] = cite.citations[1].id
    rev_indexRef[cite.citations[1].id] = orderInText
  end

  return(cite)
end

------------------------------------------

function resolveNextrefs (cite)

  -- assume Next-style refs have numeric id (from uniqueNextrefs)
  -- assume Example-IDs are not numeric (user should not use them!)
  local id = cite.citations[1].id
  local order = rev_indexRef[id]

  local distN = 0
  local sequenceN = string.match(cite.content[1].text, "([n]+)ext")
  if sequenceN ~= nil then distN = string.len(sequenceN) end
  
  if distN > 0 then
    for i=order,#indexRef do
      if tonumber(indexRef[i]) == nil then
        distN = distN - 1
        if distN == 0 then
          cite.citations[1].id = indexRef[i]
        end
      end
    end
  end

  local distL = 0
  local sequenceL = string.match(cite.content[1].text, "([l]+)ast")
  if sequenceL ~= nil then distL= string.len(sequenceL) end
  
  if distL > 0 then
    for i=order,1,-1 do
      if tonumber(indexRef[i]) == nil then
        distL = distL - 1
        if distL == 0 then
          cite.citations[1].id = indexRef[i]
        end
      end
    end
  end

  return(cite)
end

------------------------------------------

function removeTmpTargetrefs (cite)
  -- remove temporary cites for resolving Next-style reference
  if cite.content[1].text == "@Target" then
    return pandoc.Str("")
  end 
end

------------------------------------------

function makeCrossrefs (cite)

  local id = cite.citations[1].id
  
  -- Check if this is a range reference
  -- Pandoc converts -- to en-dash (–) and puts it in suffix
  if cite.citations[1].suffix and #cite.citations[1].suffix > 0 then
    local suffix_str = pandoc.utils.stringify(cite.citations[1].suffix)
    -- Check if suffix starts with en-dash (U+2013) or em-dash (U+2014)
    -- Use string.sub to check the first character
    local end_id = nil
    if string.sub(suffix_str, 1, 3) == "–" or string.sub(suffix_str, 1, 3) == "—" then
      -- En-dash or em-dash is 3 bytes in UTF-8
      end_id = string.sub(suffix_str, 4)
    end
    
    if end_id then
      -- This is a range reference
      local start_id = id
      
      -- Check if both are sub-example references
      local start_subex = subExIndex[start_id]
      local end_subex = subExIndex[end_id]
      
      if start_subex and end_subex then
        -- Both are sub-examples
        local start_parent = start_subex.parentExID
        local end_parent = end_subex.parentExID
        local start_letter = start_subex.letter
        local end_letter = end_subex.letter
        
        if start_parent == end_parent then
          -- Same parent: format as (1a-c)
          local parentNumber = indexEx[start_parent]
          if FORMAT:match "latex" then
            if latexPackage == "expex" then
              return pandoc.RawInline("latex", "(\\getref{"..start_parent.."}"..start_letter.."-"..end_letter..")")
            else
              return pandoc.RawInline("latex", "(\\ref{"..start_parent.."}"..start_letter.."-"..end_letter..")")
            end
          else
            return pandoc.Link("("..parentNumber..start_letter.."-"..end_letter..")", "#"..start_id)
          end
        else
          -- Different parents: format as (1a-2c)
          local start_number = indexEx[start_parent]
          local end_number = indexEx[end_parent]
          if FORMAT:match "latex" then
            if latexPackage == "expex" then
              return pandoc.RawInline("latex", "(\\getref{"..start_parent.."}"..start_letter.."-\\getref{"..end_parent.."}"..end_letter..")")
            else
              return pandoc.RawInline("latex", "(\\ref{"..start_parent.."}"..start_letter.."-\\ref{"..end_parent.."}"..end_letter..")")
            end
          else
            return pandoc.Str("("..start_number..start_letter.."-"..end_number..end_letter..")")
          end
        end
      elseif indexEx[start_id] and indexEx[end_id] then
        -- Both are regular examples: format as (1-3)
        local start_number = indexEx[start_id]
        local end_number = indexEx[end_id]
        
        if FORMAT:match "latex" then
          if latexPackage == "expex" then
            return pandoc.RawInline("latex", "(\\getref{"..start_id.."}-\\getref{"..end_id.."})")
          else
            return pandoc.RawInline("latex", "(\\ref{"..start_id.."}-\\ref{"..end_id.."})")
          end
        else
          return pandoc.Link("("..start_number.."-"..end_number..")", "#"..start_id)
        end
      end
      -- If we get here, the range was invalid - fall through to regular processing
    end
  end
  
  -- Check if this is a sub-example reference
  if subExIndex[id] ~= nil then
    local subEx = subExIndex[id]
    local parentID = subEx.parentExID
    local letter = subEx.letter
    local parentNumber = indexEx[parentID]
    
    -- Format as (1a), (2b), etc. with no space
    if FORMAT:match "latex" then
      if latexPackage == "expex" then
        return pandoc.RawInline("latex", "(\\getref{"..parentID.."}"..letter..")")
      else
        return pandoc.RawInline("latex", "(\\ref{"..parentID.."}"..letter..")")
      end
    else
      return pandoc.Link("("..parentNumber..letter..")", "#"..id)
    end
  end

  -- ignore other "cite" elements
  if indexEx[id] ~= nil then 
    
    -- only make suffix if there is something there AND it's not a range
    local suffix = ""
    if cite.citations[1].suffix and #cite.citations[1].suffix > 0 then
      local suffix_str = pandoc.utils.stringify(cite.citations[1].suffix)
      -- Check if it's a range (starts with en-dash or em-dash)
      if not (string.sub(suffix_str, 1, 3) == "–" or string.sub(suffix_str, 1, 3) == "—") then
        -- Not a range - it's backwards-compatible suffix syntax
        if #cite.citations[1].suffix >= 2 then
          suffix = pandoc.utils.stringify(cite.citations[1].suffix[2])
          -- For backwards compatibility: append suffix to number ([@ex:parent b])
          suffix = xrefSuffixSep..suffix
        end
      end
    end

    -- prevent Latex error when user sets xrefSuffixSep to space or nothing
    if FORMAT:match "latex" then
      if xrefSuffixSep == " " or -- space
        xrefSuffixSep == " "    -- non-breaking space
      then
        xrefSuffixSep = "\\," -- set to thin space
      end
    end

    -- make the cross-reference
    if FORMAT:match "latex" then
      if latexPackage == "expex" then
        return pandoc.RawInline("latex", "(\\getref{"..id.."}"..suffix..")")
      else
        return pandoc.RawInline("latex", "(\\ref{"..id.."}"..suffix..")")
      end
    else
      return pandoc.Link("("..indexEx[id]..suffix..")", "#"..id)
    end

  end
end

------------------------------------------
-- Pandoc trick to cycle through documents
------------------------------------------

return {
  -- preparations
  --{ Pandoc = addSectionNumbering },
  { Header = addDivToHeader },
  { Meta = getUserSettings },
  { Meta = addFormatting },
  -- parse examples and rewrite
  { Div = processDiv },
   -- three passes necessary to resolve NNext-style references
   { Cite = uniqueNextrefs },
   { Cite = resolveNextrefs },
   { Cite = removeTmpTargetrefs },
   -- now finally all cross-references can be set
   { Cite = makeCrossrefs }
}



