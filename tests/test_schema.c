/*
 * test_schema.c -- the schema tables are well formed.
 *
 * Invariant: within one schema every key is unique and every field lies
 * inside the struct it binds. A duplicated key is silent at load time (the
 * second entry's default overwrites the value the first one bound), so it
 * is checked here for every table reachable from the scenario schema, the
 * policy schema and every registered compensation model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "outagesim/compensation.h"
#include "scenario/scenario_int.h"

static int check_schema(const osim_schema *s, int depth)
{
    size_t i, j;
    int n = 1;

    assert_true(depth < 16);
    for (i = 0; i < s->fields_count; i++) {
        const osim_field *f = &s->fields[i];
        for (j = i + 1; j < s->fields_count; j++) {
            if (strcmp(f->key, s->fields[j].key) == 0)
                fail_msg("schema '%s' lists key '%s' twice", s->name, f->key);
        }
        /* MAP fields with offset 0 fill their parent: only nested structs need a size check. */
        if (f->type != OSIM_FT_MAP && s->size > 0 && f->offset >= s->size)
            fail_msg("schema '%s' key '%s' lies outside its struct", s->name, f->key);
        if ((f->type == OSIM_FT_MAP || f->type == OSIM_FT_SEQ) && f->sub != NULL)
            n += check_schema(f->sub, depth + 1);
    }
    return n;
}

static void test_scenario_schemas_have_unique_keys(void **state)
{
    (void)state;
    assert_true(check_schema(&osim__scenario_schema, 0) > 5);
    check_schema(&osim__policy_schema, 0);
}

static void test_model_schemas_have_unique_keys(void **state)
{
    const osim_comp_model *const *m;

    (void)state;
    for (m = osim_comp_models(); *m != NULL; m++)
        check_schema((*m)->params_schema, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_schemas_have_unique_keys),
        cmocka_unit_test(test_model_schemas_have_unique_keys),
    };

    return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
