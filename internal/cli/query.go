package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/knakk/rdf"
	"github.com/knakk/sparql"
	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/queries"
)

func init() { extraCommands = append(extraCommands, newQueryCmd) }

func newQueryCmd() *cobra.Command {
	var params []string
	var format string
	var list bool
	cmd := &cobra.Command{
		Use:   "query NAME",
		Short: "Run a parameterised query of queries/ and print its results",
		Long: `query runs one of the SPARQL files of queries/ with typed parameters: each --param
value is checked against the type the query header declares (ROME code, zone code, IRI,
integer, …) and bound as a term, never pasted as text. List parameters take
comma-separated values.`,
		Example: `  openemploi query --list
  openemploi query metier --param code=M1811
  openemploi query metier --param code=M1811 --format json`,
		Args: cobra.MaximumNArgs(1),
	}
	client := withStore(cmd)
	cmd.Flags().StringArrayVarP(&params, "param", "p", nil, "parameter as name=value (repeatable)")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output: table, json (SPARQL results JSON) or csv")
	cmd.Flags().BoolVar(&list, "list", false, "list the queries with their parameters")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		bank, err := sparqlq.Load(queries.FS, "*.rq")
		if err != nil {
			return fmt.Errorf("loading queries: %w", err)
		}
		if list || len(args) == 0 {
			return listQueries(cmd.OutOrStdout(), bank)
		}
		q, err := bank.Get(args[0])
		if err != nil {
			return apperr.Wrap("query", apperr.Invalid, err, "query %q", args[0])
		}
		a, err := parseParams(q, params)
		if err != nil {
			return err
		}
		text, err := q.Bind(a)
		if err != nil {
			return apperr.Wrap("query "+q.Name, apperr.Invalid, err, "binding parameters")
		}
		c, err := client()
		if err != nil {
			return err
		}
		res, err := c.Select(cmd.Context(), text)
		if err != nil {
			return err
		}
		return printResults(cmd.OutOrStdout(), res, format)
	}
	return cmd
}

func listQueries(w io.Writer, bank *sparqlq.Bank) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "QUERY\tPARAMETERS\tRETURNS")
	for _, name := range bank.Names() {
		q, _ := bank.Get(name)
		var ps []string
		for _, p := range q.Params {
			t := string(p.Type)
			if p.List {
				t += "-list"
			}
			ps = append(ps, p.Name+":"+t)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, strings.Join(ps, " "), q.Returns)
	}
	return tw.Flush()
}

func parseParams(q *sparqlq.Query, raw []string) (sparqlq.Args, error) {
	decl := map[string]sparqlq.Param{}
	for _, p := range q.Params {
		decl[p.Name] = p
	}
	a := sparqlq.Args{}
	for _, kv := range raw {
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, apperr.Field("query "+q.Name, "--param "+kv, "want name=value")
		}
		p, ok := decl[name]
		if !ok {
			return nil, apperr.Field("query "+q.Name, "--param "+name, "the query declares no such parameter")
		}
		conv := func(s string) any {
			if p.Type == sparqlq.LangString {
				text, lang, _ := strings.Cut(s, "@")
				if lang == "" {
					lang = "fr"
				}
				return sparqlq.LangText{Text: text, Lang: lang}
			}
			return s
		}
		if p.List {
			var vs []string
			var lts []sparqlq.LangText
			for _, s := range strings.Split(val, ",") {
				if p.Type == sparqlq.LangString {
					lts = append(lts, conv(s).(sparqlq.LangText))
				} else {
					vs = append(vs, s)
				}
			}
			if p.Type == sparqlq.LangString {
				a[name] = lts
			} else {
				a[name] = vs
			}
			continue
		}
		a[name] = conv(val)
	}
	return a, nil
}

func printResults(w io.Writer, res *sparql.Results, format string) error {
	vars := res.Head.Vars
	rows := res.Solutions()
	cell := func(t rdf.Term) string {
		if t == nil {
			return ""
		}
		return t.String()
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(vars)
		for _, r := range rows {
			rec := make([]string, len(vars))
			for i, v := range vars {
				rec[i] = cell(r[v])
			}
			_ = cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "table":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(vars, "\t")))
		for _, r := range rows {
			rec := make([]string, len(vars))
			for i, v := range vars {
				rec[i] = cell(r[v])
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t"))
		}
		fmt.Fprintf(tw, "(%d rows)\n", len(rows))
		return tw.Flush()
	default:
		return usageError{fmt.Errorf("--format %q: want table, json or csv", format)}
	}
}
