{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{HEADING}}</h1>
<p>[[Every decision a moderator or the secretariat takes is listed here: who, what, when and why. The content of posts rejected as spam is not kept.]]</p>
{{#EMPTY}}<p>[[No decisions yet.]]</p>{{/EMPTY}}
{{#ENTRIES}}<table class="log">
<thead><tr><th scope="col">[[When]]</th><th scope="col">[[Who]]</th><th scope="col">[[What]]</th><th scope="col">[[About]]</th><th scope="col">[[Why]]</th></tr></thead>
<tbody>{{#ENTRY}}<tr><td><time datetime="{{DATE_ISO}}">{{DATE}}</time></td><td>{{MODERATOR}}</td><td>{{ACTION}}</td><td>{{ABOUT}}</td><td>{{REASON}}</td></tr>
{{/ENTRY}}</tbody>
</table>{{/ENTRIES}}
{{#OLDER}}<nav class="pager" aria-label="[[Pages]]"><a rel="next" href="{{URL}}">[[Older decisions]] →</a></nav>{{/OLDER}}
{{>FOOTER}}
