{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{TITLE_TEXT}}</h1>
{{#CHART}}
<section class="chart">
<h2>{{HEADING}}</h2>
<figure>{{SVG:none}}</figure>
<details><summary>[[Data table]]</summary>
<div class="scroll"><table><caption>{{HEADING}}</caption>
<thead><tr><th scope="col">[[Month]]</th>{{#COLUMN}}<th scope="col" class="num">{{NAME}}</th>{{/COLUMN}}</tr></thead>
<tbody>{{#ROW}}<tr><th scope="row">{{MONTH}}</th>{{#CELL}}<td class="num">{{VALUE}}</td>{{/CELL}}</tr>{{/ROW}}</tbody>
</table></div></details>
</section>
{{/CHART}}
<section>
<h2>[[Top threads]]</h2>
<ol class="threads">{{#TOP}}<li><a class="subject" href="{{URL}}">{{SUBJECT}}</a> <span class="meta">{{LIST}} · {{MESSAGES}}</span></li>{{/TOP}}</ol>
</section>
{{>FOOTER}}
