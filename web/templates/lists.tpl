{{%AUTOESCAPE context="HTML"}}<table class="lists">
<thead><tr><th scope="col">[[List]]</th><th scope="col" class="num">[[Threads]]</th><th scope="col" class="num">[[Messages]]</th><th scope="col">[[Latest activity]]</th></tr></thead>
<tbody>
{{#LIST}}<tr><th scope="row"><a href="{{LIST_URL}}">{{LIST_NAME}}</a></th><td class="num">{{THREADS}}</td><td class="num">{{MESSAGES}}</td><td><time datetime="{{LAST_ISO}}">{{LAST}}</time></td></tr>
{{/LIST}}
</tbody>
</table>
