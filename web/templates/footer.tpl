{{%AUTOESCAPE context="HTML"}}</main>
<footer class="site">
<form class="language" action="/lang" method="get">
<label for="lang-set">[[Language]]</label>
<select id="lang-set" name="set">{{#LANGUAGE}}<option value="{{CODE}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/LANGUAGE}}</select>
<input type="hidden" name="back" value="{{BACK}}">
<button type="submit">[[Change]]</button>
</form>
<p>[[Roundtable: open archives for multi-stakeholder policy work.]] <a href="/api/v1/openapi.json">[[API]]</a></p>
</footer>
</body>
</html>
